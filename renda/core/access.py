"""Roles, permissions and jurisdiction: the one place that decides who may see and do what.

Every selector that returns domain data passes its queryset through `scope_queryset`, and every view
that fetches one object does it through `access_object`, which answers "missing" and "forbidden" the
same way (Http404) and records the denial in the audit log.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .signals import access_denied


class Role(models.TextChoices):
    COUNTY_STAFF = "county_staff", _("县人大工作人员")
    TOWNSHIP_STAFF = "township_staff", _("乡镇（街道）人大工作人员")
    STATION_KEEPER = "station_keeper", _("联络站管理员")
    DEPUTY = "deputy", _("人大代表")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    LEADER = "leader", _("常委会组成人员/领导")
    CITY_STAFF = "city_staff", _("市（州）人大常委会工作人员")
    CITY_LEADER = "city_leader", _("市（州）人大常委会领导")
    PROVINCE_STAFF = "province_staff", _("省人大常委会工作人员")
    PROVINCE_LEADER = "province_leader", _("省人大常委会领导")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")


# City and province standing committees (issue 15 §2): they read everything below their region,
# see the roll-up dashboards, and their staff keep the deputies of their own congress (the city's or
# the province's: deputies.selectors.congress_kept and deputy_get narrow the writes to it).
UPPER_READ = frozenset(
    {
        "deputies.view",
        "deputies.export",
        "contacts.view",
        "duty_records.view",
        "regions.view",
        "organizations.view",
        "network.view",
        "opinions.view",
        "legislation.view",
        "suggestions.read",
        "suggestions.view",
        "suggestions.stats",
        "guidance.view",
        "workplan.view",
        "training.view",
        "activities.view",
        "notifications.view",
        "jobs.view",
        "rollup.view",
    }
)
UPPER_STAFF = UPPER_READ | {"deputies.change", "deputies.import", "personal_data.reveal"}

# Permission codes by role. 三权分立: the system admin manages accounts but has no audit permission,
# the security admin handles lockouts and security settings, the auditor only reads the audit log.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_STAFF: frozenset(
        {
            "contacts.liaison",
            "suggestions.read",
            "notifications.view",
            "suggestions.view",
            "suggestions.manage",
            "suggestions.supervise",
            "suggestions.stats",
            "suggestions.funds",
            "deputies.import",
            "deputies.export",
            "contacts.view",
            "contacts.log",
            "contacts.assign",
            "deputies.view",
            "deputies.change",
            "personal_data.reveal",
            "regions.view",
            "duty_records.view",
            "duty_records.add",
            "duty_records.review",
            "points.view",
            "points.manage",
            "jobs.view",
            "organizations.view",
            "organizations.change",
            "network.view",
            "network.change",
            "network.reception",
            "opinions.view",
            "opinions.add",
            "opinions.handle",
            "opinions.reveal_phone",
            "legislation.view",
            "legislation.manage",
            "legislation.contribute",
            "guidance.view",
            "guidance.review",
            "guidance.manage",
            "guidance.rules",
            "workplan.view",
            "workplan.manage",
            "workplan.report",
            "training.view",
            "training.manage",
            "training.certificate",
            "media.manage",
            "cooperation.confirm",
            "activities.view",
            "activities.manage",
            "duty_reports.view",
            "duty_reports.manage",
            "dossier.view",
            "dossier.batch",
        }
    ),
    Role.TOWNSHIP_STAFF: frozenset(
        {
            "contacts.liaison",
            "suggestions.read",
            "notifications.view",
            "suggestions.view",
            "suggestions.stats",
            "deputies.import",
            "deputies.export",
            "contacts.view",
            "contacts.log",
            "deputies.view",
            "deputies.change",
            "personal_data.reveal",
            "regions.view",
            "duty_records.view",
            "duty_records.add",
            "duty_records.review",
            "points.view",
            "jobs.view",
            "organizations.view",
            "organizations.change",
            "network.view",
            "network.change",
            "network.reception",
            "opinions.view",
            "opinions.add",
            "opinions.handle",
            "opinions.reveal_phone",
            "legislation.view",
            "legislation.contribute",
            "guidance.view",
            "guidance.report",
            "guidance.rules",
            "training.view",
            "training.manage",
            "training.certificate",
            "activities.view",
            "activities.manage",
            "duty_reports.view",
            "duty_reports.manage",
            "dossier.view",
            "dossier.batch",
        }
    ),
    Role.STATION_KEEPER: frozenset(
        {
            "deputies.view",
            "duty_records.view",
            "network.view",
            "network.reception",
            "jobs.view",
            "opinions.view",
            "opinions.add",
            "opinions.handle",
            "opinions.reveal_phone",
            "legislation.view",
            "legislation.contribute",
            "guidance.rules",
        }
    ),
    Role.DEPUTY: frozenset(
        {
            "suggestions.read",
            "notifications.view",
            "suggestions.submit",
            "contacts.view",
            "contacts.log",
            "portal.use",
            "duty_records.view",
            "duty_records.declare",
            "points.mine",
            "jobs.view",
            "opinions.view",
            "opinions.add",
            "opinions.handle",
            "training.mine",
            "training.certificate",
            "activities.attend",
            "duty_reports.view",
            "duty_reports.write",
            "dossier.view",
        }
    ),
    Role.HANDLING_UNIT: frozenset(
        {
            "suggestions.read",
            "suggestions.handle",
            "unit_portal.use",
            "jobs.view",
            "opinions.view",
            "notifications.view",
            "cooperation.view",
            "cooperation.propose",
            "activities.view",
        }
    ),
    Role.LEADER: frozenset(
        {
            "contacts.liaison",
            "suggestions.read",
            "notifications.view",
            "suggestions.view",
            "suggestions.supervise",
            "suggestions.stats",
            "deputies.export",
            "jobs.view",
            "contacts.view",
            "contacts.log",
            "deputies.view",
            "network.view",
            "duty_records.view",
            "points.view",
            "regions.view",
            "organizations.view",
            "opinions.view",
            "legislation.view",
            "guidance.view",
            "guidance.review",
            "workplan.view",
            "training.view",
            "activities.view",
            "duty_reports.view",
            "dossier.view",
        }
    ),
    Role.CITY_STAFF: UPPER_STAFF,
    Role.PROVINCE_STAFF: UPPER_STAFF,
    Role.CITY_LEADER: UPPER_READ,
    Role.PROVINCE_LEADER: UPPER_READ,
    Role.SYSTEM_ADMIN: frozenset({"accounts.manage", "regions.view", "organizations.view", "jobs.view"}),
    Role.SECURITY_ADMIN: frozenset({"security.manage", "jobs.view"}),
    Role.AUDITOR: frozenset({"audit.view", "audit.export", "jobs.view"}),
}

# Roles that must use a second factor when RENDA_REQUIRE_2FA is on (administrators and staff).
TWO_FACTOR_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
        Role.COUNTY_STAFF,
        Role.TOWNSHIP_STAFF,
        Role.CITY_STAFF,
        Role.PROVINCE_STAFF,
    }
)

# City and province roles, and the level of region each must hold.
UPPER_ROLES = {
    Role.CITY_STAFF: "city",
    Role.CITY_LEADER: "city",
    Role.PROVINCE_STAFF: "province",
    Role.PROVINCE_LEADER: "province",
}

# Roles whose jurisdiction is a region subtree (the region on the account).
REGION_ROLES = frozenset(
    {Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_KEEPER, Role.LEADER, *UPPER_ROLES}
)

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def permissions_for(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def has_permission(user, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if permission == AUTHENTICATED:
        return bool(getattr(user, "is_authenticated", False))
    return permission in permissions_for(user)


@dataclass(frozen=True)
class Scoping:
    """How a model's rows relate to a jurisdiction: lookup paths from the model.

    region: path to a regions.Region foreign key; organization: path to an organizations.Organization
    (the handling unit, say); deputy: path to a deputies.Deputy ("" when the model is Deputy itself);
    station: path to a network.Station, whose `keepers` relation lists the users who keep it.
    deputy_when: further lookups the deputy's row must meet, on the same related row as `deputy`
    (a co-signer who declined is no longer a signer who may read: {"signers__answer__in": [...]}).
    region_keys: path to the model that stores its region's county_code and township_code
    (renda/regions/keys.py; "" for the model itself): county and township users are then filtered on
    those indexed columns, which the planner estimates well, instead of the region path.
    A role whose kind of jurisdiction the model does not declare sees none of its rows.
    """

    region: str | None = None
    organization: str | None = None
    deputy: str | None = None
    station: str | None = None
    deputy_when: tuple[tuple[str, object], ...] = ()
    region_keys: str | None = None


# Depth of a county's and of a township's path in the region tree (province/city/county/township/…),
# as renda/regions/keys.py stores them; the kernel reads only the path string.
_KEY_COLUMNS = {3: "county_code", 4: "township_code"}


def _region_condition(scoping: Scoping, region) -> Q:
    parts = [p for p in region.path.split("/") if p]
    column = _KEY_COLUMNS.get(len(parts))
    # On by default; RENDA_SCOPE_BY_REGION_KEYS=0 falls back to the path (docs/architecture.md).
    if settings.RENDA_SCOPE_BY_REGION_KEYS and scoping.region_keys is not None and column is not None:
        return Q(**{_join(scoping.region_keys, column): parts[-1]})
    return Q(**{_join(scoping.region, "path__startswith"): region.path})


def _join(path: str, tail: str) -> str:
    return f"{path}__{tail}" if path else tail


def scope_filter(model, user) -> Q | None:
    """The filter that limits `model` to `user`'s jurisdiction; None means nothing at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    scoping: Scoping | None = getattr(model, "scoping", None)
    if scoping is None:
        return None
    role = user.role
    if role == Role.STATION_KEEPER and scoping.station is not None:
        # A station keeper sees their own station's rows, not the whole township.
        return Q(**{_join(scoping.station, "keepers__user"): user})
    if role in REGION_ROLES and scoping.region is not None and user.region_id:
        return _region_condition(scoping, user.region)
    if role == Role.DEPUTY and scoping.deputy is not None:
        # One Q: on a to-many path the extra lookups hold for the same row as the user.
        return Q(**{_join(scoping.deputy, "user"): user}, **dict(scoping.deputy_when))
    if role == Role.HANDLING_UNIT and scoping.organization is not None and user.organization_id:
        return Q(**{_join(scoping.organization, "pk"): user.organization_id})
    return None


def scope_queryset(queryset: models.QuerySet, user) -> models.QuerySet:
    condition = scope_filter(queryset.model, user)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def openable_pks(queryset: models.QuerySet, user, *, permission: str, pks) -> set:
    """Which of `pks` the user may open (the same test as access_object, in one query): a list links a
    name to its page only where the page would not answer 404 — a deputy sees 王芳 unlinked in the
    duty-record list when she may not open 王芳's page."""
    pks = {pk for pk in pks if pk is not None}
    if not pks or not has_permission(user, permission):
        return set()
    return set(scope_queryset(queryset, user).filter(pk__in=pks).values_list("pk", flat=True))


def access_object(queryset: models.QuerySet, user, *, permission: str, **lookup):
    """Fetch one object the user may act on, or raise Http404 whether it is missing or forbidden."""
    if has_permission(user, permission):
        found = scope_queryset(queryset, user).filter(**lookup).first()
        if found is not None:
            return found
    target = queryset.model._default_manager.filter(**lookup).first()
    if target is not None:
        # The object exists: this is a denial, and denials are audited (renda.audit receives it).
        access_denied.send(sender=queryset.model, obj=target, detail=f"permission={permission}")
    raise Http404
