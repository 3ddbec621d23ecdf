"""Reads of deputies, mandates and contacts, always scoped to the asking user."""

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from renda.core.access import REGION_ROLES, UPPER_ROLES, Role, access_object, has_permission, scope_queryset
from renda.core.crypto import blind_index
from renda.core.text import clean_person_name
from renda.core.validators import normalize_id_number
from renda.regions.models import Region

from .models import (
    Congress,
    Constituency,
    Contact,
    ContactAssignment,
    Deputy,
    ExternalRole,
    Mandate,
    RosterImport,
)

ORDERS = {"stroke": ("stroke_key", "id"), "pinyin": ("pinyin_key", "id")}


def _network_model(name: str):
    """A model of the network app, or None: the roster and the portal work with or without it."""
    try:
        return apps.get_model("network", name)
    except LookupError:
        return None


def station_lookup() -> str | None:
    """The path from Deputy to the stations it is assigned to (进站代表, owned by the network app)."""
    return "stations__station" if _network_model("StationedDeputy") is not None else None


def _mandates_prefetch() -> Prefetch:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.select_related("congress", "constituency").order_by(
            "congress__level", "-congress__term"
        ),
    )


def personal_search_index(q: str) -> tuple[str, str] | None:
    """("id_number" | "phone", blind index) when `q` is a whole ID number or phone number, else None.

    Such a search must not travel in a URL (issue 13 §6): pages turn it into a session token
    (views.DeputyListView), the API takes it in a POST body (/api/v1/deputies/search)."""
    from renda.core.validators import _LANDLINE, _MOBILE, normalize_phone

    q = (q or "").strip()
    if not q:
        return None
    normalized = normalize_id_number(q)
    if len(normalized) == 18 and normalized[:17].isdigit():
        return "id_number", blind_index(normalized)
    phone = normalize_phone(q)
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return "phone", blind_index(phone)
    return None


def deputy_list(
    *,
    user,
    region_code: str = "",
    q: str = "",
    level: str = "",
    congress: int | str | None = None,
    township: str = "",
    constituency: int | str | None = None,
    station: int | str | None = None,
    sector: str = "",
    status: str = "",
    order: str = "stroke",
    id_number_index: str = "",
    phone_index: str = "",
) -> QuerySet[Deputy]:
    """Deputies in the user's jurisdiction, filtered, in stroke (default) or pinyin order.

    `q` is a name or a whole ID number; `id_number_index` the blind index of an ID number, for callers
    that must not keep the clear number (the background export)."""
    qs = scope_queryset(Deputy.objects.select_related("region"), user)
    if region_code:
        qs = qs.filter(region__path__contains=f"{region_code}/")
    if township:
        qs = qs.filter(region__code=township)
    if sector:
        qs = qs.filter(sector=sector)
    mandate_filter = Q()
    if level:
        mandate_filter &= Q(congress__level=level)
    if congress:
        mandate_filter &= Q(congress_id=congress)
    if constituency:
        mandate_filter &= Q(constituency_id=constituency)
    if status:
        mandate_filter &= Q(status=status)
    if mandate_filter:
        # EXISTS, not a join: a deputy with two matching mandates is still one row.
        qs = qs.filter(Exists(Mandate.objects.filter(mandate_filter, deputy=OuterRef("pk"))))
    stationed_model = _network_model("StationedDeputy")
    if station and stationed_model is not None:
        qs = qs.filter(Exists(stationed_model.objects.filter(deputy=OuterRef("pk"), station_id=station)))
    if id_number_index:
        qs = qs.filter(id_number_index=id_number_index)
    elif phone_index:
        qs = qs.filter(phone_index=phone_index)
    elif q:
        personal = personal_search_index(q)
        if personal is not None:
            # A whole ID number or phone is found through its blind index, never by decrypting rows.
            qs = qs.filter(**{f"{personal[0]}_index": personal[1]})
        else:
            qs = qs.filter(name__contains=clean_person_name(q))
    return qs.prefetch_related(_mandates_prefetch()).order_by(*ORDERS.get(order, ORDERS["stroke"]))


# Permissions that only read a deputy: a city or province account reads every deputy below it.
READ_ONLY = frozenset({"deputies.view", "deputies.export", "contacts.view", "duty_records.view"})


def deputy_get(*, user, pk: int, permission: str = "deputies.view") -> Deputy:
    """One deputy within the user's jurisdiction, else 404. For anything beyond reading, a city or
    province account reaches only the deputies of its own congress (issue 15 §2): the county's
    deputies are the county's to keep, whatever the city may read."""
    queryset = Deputy.objects.select_related("region")
    if getattr(user, "role", None) in UPPER_ROLES and permission not in READ_ONLY:
        own = Mandate.objects.filter(deputy=OuterRef("pk"), congress__region_id=user.region_id)
        queryset = queryset.filter(Exists(own))
    return access_object(queryset, user, permission=permission, pk=pk)


def deputy_for_user(*, user) -> Deputy | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Deputy.objects.select_related("region").filter(user=user).first()


def deputy_profile(*, deputy: Deputy) -> dict:
    """Everything the detail page shows about one deputy the caller may already see."""
    mandates = list(
        deputy.mandates.select_related("congress", "constituency")
        .prefetch_related("events")
        .order_by("congress__level", "-congress__term")
    )
    roles = list(deputy.external_roles.select_related("organization"))
    return {"mandates": mandates, "roles": roles}


def mandate_list(
    *,
    user,
    level: str = "",
    congress: int | str | None = None,
    township: str = "",
    constituency: int | str | None = None,
    status: str = "",
    order: str = "stroke",
) -> QuerySet[Mandate]:
    qs = scope_queryset(
        Mandate.objects.select_related("deputy", "deputy__region", "congress", "constituency"), user
    )
    if level:
        qs = qs.filter(congress__level=level)
    if congress:
        qs = qs.filter(congress_id=congress)
    if township:
        qs = qs.filter(deputy__region__code=township)
    if constituency:
        qs = qs.filter(constituency_id=constituency)
    if status:
        qs = qs.filter(status=status)
    key = "deputy__pinyin_key" if order == "pinyin" else "deputy__stroke_key"
    return qs.order_by(key, "deputy_id", "congress__level")


def mandate_get(*, user, pk: int, permission: str = "deputies.view") -> Mandate:
    return access_object(
        Mandate.objects.select_related("deputy", "congress", "constituency"),
        user,
        permission=permission,
        pk=pk,
    )


def external_role_get(*, user, pk: int, permission: str = "deputies.change") -> ExternalRole:
    return access_object(ExternalRole.objects.select_related("deputy"), user, permission=permission, pk=pk)


# --- reference data for filters and forms (not personal: congresses above the user are listed too) ---


def congress_choices(*, user) -> QuerySet[Congress]:
    """Congresses whose deputies the user may see: those of their region, above it and below it."""
    qs = Congress.objects.select_related("region")
    if user.role in REGION_ROLES and user.region_id:
        path = user.region.path
        above = [code for code in path.strip("/").split("/") if code]
        return qs.filter(Q(region__path__startswith=path) | Q(region__code__in=above))
    if user.role == Role.DEPUTY:
        return qs.filter(mandates__deputy__user=user).distinct()
    return qs.none()


def constituency_choices(*, user, congress: Congress | None) -> QuerySet[Constituency]:
    if congress is None:
        return Constituency.objects.none()
    qs = Constituency.objects.filter(congress=congress).select_related("region")
    if user.role in REGION_ROLES and user.region_id and not user.region.path.startswith(congress.region.path):
        return qs.none()
    if user.role in REGION_ROLES and user.region_id:
        # A township user sees the county congress's constituencies in their township only.
        if not congress.region.path.startswith(user.region.path):
            qs = qs.filter(region__path__startswith=user.region.path)
        return qs
    return qs.none()


def township_choices(*, user) -> QuerySet[Region]:
    qs = Region.objects.filter(level=Region.Level.TOWNSHIP)
    if user.role in REGION_ROLES and user.region_id:
        return qs.filter(path__startswith=user.region.path).order_by("code")
    return qs.none()


def station_choices(*, user):
    """Stations to filter by, when the network app links deputies to stations; else nothing."""
    if station_lookup() is None:
        return None
    station_model = apps.get_model("network", "Station")
    return scope_queryset(station_model.objects.all(), user).order_by("kind", "name")


# --- imports ---


def roster_import_get(*, user, pk) -> RosterImport:
    """A user sees only their own imports (like their own jobs); others are 'not found'."""
    if not has_permission(user, "deputies.import"):
        raise Http404
    found = (
        RosterImport.objects.select_related("congress", "check_job", "import_job")
        .filter(pk=pk, owner=user)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- 双联系 and constituent contacts ---


def contact_list(
    *, user, kind: str = "", deputy: Deputy | None = None, member=None, year: int | None = None
) -> QuerySet[Contact]:
    qs = scope_queryset(Contact.objects.select_related("deputy", "deputy__region", "member"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if deputy is not None:
        qs = qs.filter(deputy=deputy)
    if member is not None:
        qs = qs.filter(member=member)
    if year:
        qs = qs.filter(
            occurred_on__gte=datetime.date(year, 1, 1), occurred_on__lte=datetime.date(year, 12, 31)
        )
    return qs.order_by("-occurred_on", "-id")


def contact_get(*, user, pk: int) -> Contact:
    return access_object(
        Contact.objects.select_related("deputy", "member"), user, permission="contacts.view", pk=pk
    )


def assignments_active(*, user, member=None, deputy: Deputy | None = None) -> QuerySet[ContactAssignment]:
    qs = scope_queryset(ContactAssignment.objects.select_related("member", "deputy", "deputy__region"), user)
    qs = qs.filter(ends_on__isnull=True)
    if member is not None:
        qs = qs.filter(member=member)
    if deputy is not None:
        qs = qs.filter(deputy=deputy)
    return qs.order_by("member__username", "deputy__stroke_key")


def assignment_get(*, user, pk: int) -> ContactAssignment:
    return access_object(
        ContactAssignment.objects.select_related("member", "deputy"),
        user,
        permission="contacts.assign",
        pk=pk,
    )


def _region_lineage(user, region_field: str) -> Q | None:
    """Rows whose region is in the user's subtree or above it (the county's own bodies and members for
    a township user), never in a sibling's: another county's organisations and members stay out.
    None when the user has no region."""
    region = getattr(user, "region", None) if getattr(user, "is_authenticated", False) else None
    if region is None:
        return None
    parts = [p for p in region.path.split("/") if p]
    above = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]
    return Q(**{f"{region_field}__path__startswith": region.path}) | Q(**{f"{region_field}__path__in": above})


def external_role_organizations(*, user) -> QuerySet:
    """The organisations a deputy's external role may name: those of the user's region lineage."""
    from renda.organizations.models import Organization

    condition = _region_lineage(user, "region")
    if condition is None or not has_permission(user, "deputies.change"):
        return Organization.objects.none()
    return Organization.objects.filter(condition).order_by("kind", "name")


def committee_members(*, user):
    """Committee members (accounts with the leader role) of the user's region lineage, with their number
    of assigned deputies."""
    from renda.accounts.models import User

    condition = _region_lineage(user, "region")
    if condition is None or not has_permission(user, "contacts.view"):
        return User.objects.none()
    active = Count("contact_assignments", filter=Q(contact_assignments__ends_on__isnull=True))
    return (
        User.objects.filter(condition, role=Role.LEADER, is_active=True)
        .annotate(assigned=active)
        .order_by("username")
    )


def constituent_contact_progress(*, deputy: Deputy, year: int) -> dict:
    """How many constituent contacts a deputy logged this year against the yearly target."""
    done = Contact.objects.filter(
        deputy=deputy,
        kind=Contact.Kind.CONSTITUENT,
        occurred_on__gte=datetime.date(year, 1, 1),
        occurred_on__lte=datetime.date(year, 12, 31),
    ).count()
    target = settings.RENDA_CONSTITUENT_CONTACTS_PER_YEAR
    return {
        "done": done,
        "target": target,
        "percent": min(100, round(done * 100 / target)) if target else 100,
    }


def portal_stations(*, deputy: Deputy) -> list[dict]:
    """The deputy's stations (at most five) and their next scheduled reception days, from the network
    app's station assignments (进站代表) and reception days; an empty list without them."""
    stationed_model, reception_model = _network_model("StationedDeputy"), _network_model("ReceptionDay")
    if stationed_model is None:
        return []
    stations = []
    for link in (
        stationed_model.objects.filter(deputy=deputy).select_related("station").order_by("station__name")[:5]
    ):
        if link.station not in stations:
            stations.append(link.station)
    upcoming: dict[int, list] = {s.pk: [] for s in stations}
    if reception_model is not None and stations:
        days = reception_model.objects.filter(
            station__in=stations, held_on__gte=timezone.localdate(), state="scheduled"
        ).order_by("held_on")[:20]
        for day in days:
            if len(upcoming[day.station_id]) < 3:
                upcoming[day.station_id].append(day)
    return [{"station": s, "receptions": upcoming[s.pk]} for s in stations]


def congress_deputy_choices(*, level: str = "county", within: Region | None = None) -> QuerySet[Deputy]:
    """Deputies serving in a congress of `level`, in stroke order: who may sign a suggestion jointly.

    A county suggestion is signed by county deputies, so a form offers ~300 names, not every deputy
    of every level (a township list is five times longer and would weigh down a phone page).
    `within` (a county) keeps the congresses of that region: with several counties in one
    deployment, a 大方县 suggestion offers 大方县's deputies only (issue 15 §1).
    """
    serving = Mandate.objects.filter(
        deputy=OuterRef("pk"), congress__level=level, status=Mandate.Status.SERVING
    )
    if within is not None:
        serving = serving.filter(congress__region__path__startswith=within.path)
    return Deputy.objects.filter(Exists(serving)).order_by("stroke_key", "id")


# --- manual entry: congresses, constituencies and regions a clerk may write to ---


def congress_list(*, user) -> QuerySet[Congress]:
    """Congresses of the user's jurisdiction (their region and below), each with its constituencies."""
    constituencies = Constituency.objects.select_related("region").order_by("number", "name")
    return (
        scope_queryset(Congress.objects.select_related("region"), user)
        .prefetch_related(Prefetch("constituencies", queryset=constituencies))
        .order_by("level", "region__code", "-term")
    )


def congress_kept(*, user) -> QuerySet[Congress]:
    """Congresses whose mandates the user may create or change (issue 13 §10): those their
    jurisdiction keeps — the congress of their own region and of the regions below it (county
    staff: the county's and its townships'; a township clerk: that township's). Never one above.
    The same rule serves forms, the roster import and the API; services check it again."""
    if (
        not (has_permission(user, "deputies.change") or has_permission(user, "deputies.import"))
        or user.role not in REGION_ROLES
        or not user.region_id
    ):
        return Congress.objects.none()
    if user.role in UPPER_ROLES:
        # A city or province standing committee keeps its own congress, not the counties' below.
        return Congress.objects.select_related("region").filter(region_id=user.region_id).order_by("-term")
    return (
        Congress.objects.select_related("region")
        .filter(region__path__startswith=user.region.path)
        .order_by("level", "region__code", "-term")
    )


def congress_manageable(*, user) -> QuerySet[Congress]:
    """Congresses the user may add constituencies to: county staff their county's, township staff
    their township's (the congress of the user's own region)."""
    if not has_permission(user, "deputies.change") or user.role not in REGION_ROLES or not user.region_id:
        return Congress.objects.none()
    return Congress.objects.select_related("region").filter(region_id=user.region_id).order_by("-term")


def constituency_region_choices(*, user) -> QuerySet[Region]:
    """Where a new constituency may lie: the user's own region and the regions right below it."""
    if not has_permission(user, "deputies.change") or user.role not in REGION_ROLES or not user.region_id:
        return Region.objects.none()
    return Region.objects.filter(Q(pk=user.region_id) | Q(parent_id=user.region_id)).order_by("level", "code")


def constituency_options(*, user, congresses) -> QuerySet[Constituency]:
    """Constituencies of `congresses` the user may seat a deputy in, in one query: every constituency
    of a congress of the user's region or below, and of a congress above only those in the user's region
    (as `constituency_choices` does for one congress)."""
    if user.role not in REGION_ROLES or not user.region_id:
        return Constituency.objects.none()
    path = user.region.path
    return (
        Constituency.objects.filter(congress__in=congresses)
        .filter(Q(congress__region__path__startswith=path) | Q(region__path__startswith=path))
        .select_related("congress")
        .order_by("congress__level", "congress_id", "number", "name")
    )


# --- search pickers (renda/core/pickers.py): the choice lists that grow with the installation ---


def _digits(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else None


def congress_search(user, q: str):
    """Congresses of the roster filter (congress_choices) whose name contains `q`."""
    return congress_choices(user=user).filter(name__contains=q).order_by("level", "region__code", "-term")


def township_search(user, q: str):
    """Townships of the user's subtree by name or code prefix, with their county (namesakes abound)."""
    match = Q(name__contains=q) | Q(code__startswith=q) if q.isdigit() else Q(name__contains=q)
    return township_choices(user=user).filter(match).select_related("parent").order_by("code")


def station_search(user, q: str):
    found = station_choices(user=user)
    if found is None:
        return Region.objects.none()
    return found.filter(name__contains=q).select_related("region").order_by("name", "id")


def constituency_search(user, q: str, congress: str = ""):
    """Constituencies a mandate may name (constituency_options of the congresses the user keeps), by
    name or number, narrowed to the congress chosen beside it."""
    kept = congress_kept(user=user)
    qs = constituency_options(user=user, congresses=kept)
    if _digits(congress) is not None:
        qs = qs.filter(congress_id=_digits(congress))
    match = Q(name__contains=q)
    if _digits(q) is not None and _digits(q) < 32768:
        match |= Q(number=_digits(q))
    return qs.filter(match)


def roster_constituency_search(user, q: str, congress: str = ""):
    """Constituencies to filter deputies by: of the congresses the user sees (constituency_options),
    narrowed to the congress chosen beside it."""
    qs = constituency_options(user=user, congresses=congress_choices(user=user))
    if _digits(congress) is not None:
        qs = qs.filter(congress_id=_digits(congress))
    match = Q(name__contains=q)
    if _digits(q) is not None and _digits(q) < 32768:
        match |= Q(number=_digits(q))
    return qs.filter(match)


def roster_organization_search(user, q: str):
    """Organisations of the user's region lineage (to filter deputies by who appointed them)."""
    from renda.organizations.models import Organization

    condition = _region_lineage(user, "region")
    if condition is None:
        return Organization.objects.none()
    return (
        Organization.objects.filter(condition)
        .filter(Q(name__contains=q) | Q(short_name__contains=q))
        .select_related("region")
        .order_by("kind", "name")
    )


def lineage_organization_search(user, q: str):
    return (
        external_role_organizations(user=user)
        .filter(Q(name__contains=q) | Q(short_name__contains=q))
        .select_related("region")
    )


def committee_member_search(user, q: str):
    return committee_members(user=user).filter(Q(username__icontains=q) | Q(full_name__contains=q))


def township_label(region) -> str:
    return f"{region.name}（{region.parent.name}）" if region.parent_id else region.name


def station_label(station) -> str:
    return f"{station.name}（{station.region.name}）"


def constituency_label(constituency) -> str:
    return f"{constituency.name}（{constituency.congress.short_name}）"


def organization_label(org) -> str:
    return f"{org.name}（{org.region.name}）"


def kept_congress_search(user, q: str):
    """The roster upload's congress picker: the congresses the user keeps (congress_kept) by name."""
    return congress_kept(user=user).filter(name__contains=q)


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "kept-congress", permission="deputies.import", search=kept_congress_search, label=lambda c: c.name
    )
    register_picker(
        "roster-congress", permission="deputies.view", search=congress_search, label=lambda c: c.name
    )
    register_picker(
        "roster-township",
        permission="deputies.view",
        search=township_search,
        label=township_label,
        key="code",
    )
    register_picker("roster-station", permission="deputies.view", search=station_search, label=station_label)
    register_picker(
        "mandate-constituency",
        permission="deputies.change",
        search=constituency_search,
        label=constituency_label,
        params=("congress",),
    )
    register_picker(
        "roster-constituency",
        permission="deputies.view",
        search=roster_constituency_search,
        label=constituency_label,
        params=("congress",),
    )
    register_picker(
        "roster-organization",
        permission="deputies.view",
        search=roster_organization_search,
        label=organization_label,
    )
    register_picker(
        "role-organization",
        permission="deputies.change",
        search=lineage_organization_search,
        label=organization_label,
    )
    register_picker(
        "committee-member",
        permission="contacts.assign",
        search=committee_member_search,
        label=lambda u: u.display_name,
    )
