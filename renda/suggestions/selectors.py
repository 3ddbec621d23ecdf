"""Reads of suggestions, always scoped to the asking user (denied looks like missing)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from renda.core.access import Role, access_object, scope_queryset
from renda.core.money import round_half_up

from . import similarity
from .models import (
    HANDLING_STATES,
    INACTIVE_PARTS,
    Assignment,
    Extension,
    MicroFund,
    State,
    Suggestion,
    SuggestionEvent,
    SuggestionSigner,
)

# Every role that reads suggestions; rows are limited by the model's scoping.
READ = "suggestions.read"


def _lead_part():
    return Assignment.objects.filter(suggestion=OuterRef("pk"), role=Assignment.Role.LEAD).exclude(
        state__in=INACTIVE_PARTS
    )


def with_lead_unit(qs: QuerySet) -> QuerySet:
    return qs.annotate(lead_unit_name=Subquery(_lead_part().values("unit__name")[:1]))


def scope_suggestions(queryset: QuerySet[Suggestion], user) -> QuerySet[Suggestion]:
    """The suggestions `user` may read: the model's scoping, and for a handling unit only the items
    assigned to it now (a part it returned no longer counts, so the item looks missing to it)."""
    qs = scope_queryset(queryset, user)
    if getattr(user, "role", None) == Role.HANDLING_UNIT:
        active = Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=user.organization_id).exclude(
            state__in=INACTIVE_PARTS
        )
        qs = qs.filter(Exists(active))
    return qs


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def suggestion_list(
    *,
    user,
    state: str = "",
    kind: str = "",
    unit: int | None = None,
    category: str = "",
    township: str = "",
    overdue: bool = False,
    key: bool = False,
    q: str = "",
    term: int | None = None,
    year: int | None = None,
    include_drafts: bool = False,
    pending: str = "",
) -> QuerySet[Suggestion]:
    qs = scope_suggestions(Suggestion.objects.select_related("lead_deputy", "region"), user)
    if not include_drafts:
        qs = qs.exclude(state=State.DRAFT)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(assignments__unit_id=unit)
    if category:
        qs = qs.filter(category=category)
    if township:
        qs = qs.filter(region__path__contains=f"{township}/")
    if overdue:
        qs = qs.filter(state__in=HANDLING_STATES, due_on__lt=timezone.localdate())
    if key:
        qs = qs.filter(is_key=True)
    if pending == "return":
        # A unit's request to hand the item back, waiting for staff.
        qs = qs.filter(Exists(Assignment.objects.filter(suggestion=OuterRef("pk"), state="return_requested")))
    elif pending == "extension":
        qs = qs.filter(
            Exists(Extension.objects.filter(assignment__suggestion=OuterRef("pk"), state="requested"))
        )
    if term:
        qs = qs.filter(term=term)
    if year:
        start, end = year_range(year)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    if q:
        q = q.strip()
        digits = "".join(ch for ch in q if ch.isdigit())
        condition = Q(title__contains=q)
        if digits and len(digits) <= 4:
            condition |= Q(number=int(digits))
        qs = qs.filter(condition)
    return with_lead_unit(qs).order_by("-submitted_at", "-id")


def suggestion_get(*, user, pk: int, permission: str = READ) -> Suggestion:
    qs = Suggestion.objects.select_related("lead_deputy", "lead_deputy__region", "region", "merged_into")
    if getattr(user, "role", None) != Role.DEPUTY:
        qs = qs.exclude(state=State.DRAFT)  # a draft is the deputy's own until submitted
    if getattr(user, "role", None) == Role.HANDLING_UNIT:
        # Narrow before access_object so that a returned unit is denied (404, audited) like a stranger.
        qs = scope_suggestions(qs, user)
    return access_object(qs, user, permission=permission, pk=pk)


def suggestion_detail_parts(suggestion: Suggestion) -> dict:
    """What the detail page and the PDF show, in a fixed number of queries."""
    return {
        "signers": list(suggestion.signers.select_related("deputy")),
        "assignments": list(
            suggestion.assignments.select_related("unit")
            .prefetch_related("extensions")
            .order_by("role", "id")
        ),
        "contacts": list(suggestion.contacts.select_related("assignment__unit")),
        "replies": list(suggestion.replies.select_related("assignment__unit")),
        "evaluations": list(suggestion.evaluations.all()),
        "events": list(suggestion.events.select_related("actor")),
        "notes": list(suggestion.supervision_notes.select_related("author")),
        "attachments": list(suggestion.attachments.all()),
        "funds": list(suggestion.funds.select_related("region")),
        "merged_items": list(suggestion.merged_items.all()),
    }


def reply_letter_allowed(*, user, suggestion: Suggestion, parts: dict | None = None) -> bool:
    """Who may have the 答复函 (.docx; the lead unit's letter, pre-filled with its reply): staff and
    leaders who read the item; the lead unit (its part as lead, or the unit whose reply it is) — a
    co-handling unit writes no letter, it sends its 协办意见 to the lead; the item's deputies once
    there is a reply (before it the letter is a blank form for the unit). Numbered items only.
    `parts`: suggestion_detail_parts() when the page has them (no further query)."""
    if suggestion.number is None:
        return False
    if user.role not in (Role.HANDLING_UNIT, Role.DEPUTY):
        return True
    if parts is not None:
        assignments, replies = parts["assignments"], parts["replies"]
    else:
        assignments = list(suggestion.assignments.all())
        replies = list(suggestion.replies.select_related("assignment"))
    if user.role == Role.DEPUTY:
        return bool(replies)
    unit = user.organization_id
    return unit is not None and (
        any(
            a.unit_id == unit and a.role == Assignment.Role.LEAD and a.state not in INACTIVE_PARTS
            for a in assignments
        )
        or any(r.assignment.unit_id == unit for r in replies)
    )


def deputy_suggestions(*, user, show: str = "") -> QuerySet[Suggestion]:
    """A deputy's own items (led or signed), drafts included. `show="to_evaluate"`: the replies
    waiting for this deputy's evaluation (items they lead, in 已答复); `show="cosign"`: the items
    whose lead deputy asks this deputy to co-sign and that wait for the answer."""
    qs = scope_suggestions(Suggestion.objects.select_related("region"), user)
    if show == "to_evaluate":
        qs = qs.filter(state=State.REPLIED, lead_deputy__user=user)
    elif show == "cosign":
        qs = qs.filter(Exists(cosign_requests(user=user).filter(suggestion=OuterRef("pk"))))
    return with_lead_unit(qs).order_by("-updated_at", "-id")


def cosign_requests(*, user) -> QuerySet[SuggestionSigner]:
    """The co-signing requests waiting for this deputy's answer (drafts and items in revision)."""
    return SuggestionSigner.objects.filter(
        deputy__user=user,
        is_lead=False,
        answer=SuggestionSigner.Answer.PENDING,
        suggestion__state__in=[State.DRAFT, State.REVISION],
    )


def unit_part_filters() -> dict[str, Q]:
    """The unit inbox's views of its parts (and its work queues), by name.

    to_sign: handed over, not signed yet; due_soon: open, due within
    RENDA_SUGGESTION_REMIND_BEFORE_DAYS days and not yet overdue; overdue: open and past its
    deadline; co_input: a co-handling part signed whose input (协办意见) the lead still waits for;
    rehandle: the lead part of an item the deputy rated 不满意, to be handled and answered again.
    """
    from django.conf import settings

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.RENDA_SUGGESTION_REMIND_BEFORE_DAYS)
    open_parts = Q(state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED]) & Q(
        suggestion__state__in=HANDLING_STATES
    )
    return {
        "to_sign": Q(state=Assignment.State.PENDING) & Q(suggestion__state__in=HANDLING_STATES),
        "due_soon": open_parts & Q(due_on__gte=today, due_on__lte=soon),
        "overdue": open_parts & Q(due_on__lt=today),
        "co_input": Q(role=Assignment.Role.CO, state=Assignment.State.ACCEPTED, co_input_at__isnull=True)
        & Q(suggestion__state__in=HANDLING_STATES),
        "rehandle": Q(role=Assignment.Role.LEAD, state=Assignment.State.ACCEPTED)
        & Q(suggestion__state=State.REHANDLING),
    }


def unit_inbox(*, user, include_done: bool = False, show: str = "") -> QuerySet[Assignment]:
    """The unit's parts with their deadlines, the most urgent first. Returned parts are left out.
    `show`: one of unit_part_filters()."""
    qs = scope_queryset(Assignment.objects.select_related("suggestion", "suggestion__region"), user)
    qs = qs.exclude(state__in=INACTIVE_PARTS)
    if not include_done:
        qs = qs.exclude(suggestion__state__in=[State.CLOSED, State.MERGED])
    condition = unit_part_filters().get(show)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("due_on", "id")


def unit_choices() -> QuerySet:
    from renda.organizations.models import Organization

    return Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT).order_by("name")


def similar_suggestions(
    *, user, title: str, body: str, term: int, exclude_pk: int | None = None, limit: int = 5
):
    """Existing suggestions of the same term that read alike: [(suggestion, score)].

    Staff search everything they may see. A deputy writing a new one is shown the term's accepted
    items too (number, title, category and state only, no personal data): the register of accepted
    suggestions is public, and seeing it is what prevents duplicates.
    """
    base = Suggestion.objects.filter(term=term).exclude(
        state__in=[State.DRAFT, State.WITHDRAWN, State.MERGED]
    )
    if user.role == Role.DEPUTY:
        corpus_qs = base.filter(Q(number__isnull=False) | Q(signers__deputy__user=user)).distinct()
    else:
        corpus_qs = scope_suggestions(base, user)
    if exclude_pk:
        corpus_qs = corpus_qs.exclude(pk=exclude_pk)
    corpus = list(corpus_qs.values_list("pk", "tokens"))
    ranked = similarity.rank(similarity.tokenize(title) * 2 + similarity.tokenize(body), corpus, limit=limit)
    found = Suggestion.objects.in_bulk([pk for pk, _score in ranked])
    return [(found[pk], score) for pk, score in ranked if pk in found]


def suggestion_events(*, suggestion: Suggestion) -> QuerySet[SuggestionEvent]:
    return suggestion.events.select_related("actor", "assignment__unit").order_by("occurred_at", "id")


def key_suggestions(*, user, mine: bool = False, open_only: bool = False, since=None) -> QuerySet[Suggestion]:
    """Key suggestions; `mine`: those the user leads the supervision of; `open_only`: being handled
    or replied (not closed); `since`: with a step taken after that moment. The leader's queues link
    here with exactly their own filters."""
    qs = suggestion_list(user=user, key=True)
    if mine:
        qs = qs.filter(key_leader_user=user)
    if open_only:
        qs = qs.filter(state__in=[*HANDLING_STATES, State.REPLIED])
    if since is not None:
        qs = qs.filter(
            Exists(SuggestionEvent.objects.filter(suggestion=OuterRef("pk"), occurred_at__gt=since))
        )
    return qs.annotate(note_count=Count("supervision_notes", distinct=True))


# --- 微实事 -----------------------------------------------------------------------------------


def fund_list(*, user, year: int | None = None, source: str = "", state: str = "") -> QuerySet[MicroFund]:
    qs = scope_queryset(MicroFund.objects.select_related("region", "suggestion"), user)
    if year:
        qs = qs.filter(year=year)
    if source:
        qs = qs.filter(source=source)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "source", "id")


def fund_totals(queryset: QuerySet[MicroFund]) -> list[dict]:
    """[{year, source, source_label, amount (Decimal yuan), count}] ordered by year then source."""
    labels = dict(MicroFund.Source.choices)
    rows = (
        queryset.order_by()
        .values("year", "source")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by("-year", "source")
    )
    return [
        {
            **row,
            # SQLite sums decimals without their scale; yuan always have two places.
            "amount": round_half_up(row["amount"] or 0),
            "source_label": str(labels.get(row["source"], row["source"])),
        }
        for row in rows
    ]


def fund_get(*, user, pk: int) -> MicroFund:
    return access_object(
        MicroFund.objects.select_related("region"), user, permission="suggestions.funds", pk=pk
    )


def public_fund_list() -> QuerySet[MicroFund]:
    """Completed 微实事 projects for the public page: project, place, money, what was done."""
    return (
        MicroFund.objects.filter(state=MicroFund.State.COMPLETED)
        .select_related("region")
        .order_by("-completed_on", "-id")
    )


def public_reply_list() -> QuerySet[Suggestion]:
    """Published replies (personal data already removed when published)."""
    return with_lead_unit(
        Suggestion.objects.filter(published=True).prefetch_related(Prefetch("replies", to_attr="reply_rows"))
    ).order_by("-published_at", "-id")


def public_reply_get(*, pk: int) -> Suggestion:
    from django.http import Http404

    found = public_reply_list().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- the co-signer picker (core/pickers.py) ---------------------------------------------------


def _initials(pinyin_key: str) -> str:
    """ "li3 ming2|…" → "lm"."""
    return "".join(syllable[:1] for syllable in pinyin_key.split("|", 1)[0].split())


def _spelled_initials(text: str) -> str:
    """ "大方镇代表团" → "dfzdbt" (each character's first pinyin letter; others kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()


def key_leader_search(user, q: str):
    """The key suggestion's leader picker: active leader accounts of the searcher's own county
    (only county staff designate key suggestions, and only their own county's)."""
    from renda.accounts.models import User

    from .jurisdiction import county_of

    county = county_of(getattr(user, "region", None))
    if county is None:
        return User.objects.none()
    return (
        User.objects.filter(role=Role.LEADER, is_active=True, region__path__startswith=county.path)
        .filter(Q(full_name__contains=q) | Q(username__icontains=q))
        .order_by("full_name", "id")
    )


def cosigner_search(user, q: str, lead_deputy: str = "") -> list:
    """Deputies who may co-sign (serving in the county congress) whose name contains `q`, whose
    pinyin initials start with it (lm → 李明), or whose delegation contains it or has initials
    starting with it (dfz → 大方镇代表团); roster order. The lead deputy never co-signs: the
    searching deputy (who leads what they write) and the form's `lead_deputy` (staff entering a
    paper suggestion, or editing one) are left out.

    The ~300 names of a county congress are matched in Python: initials are not a column, and the
    pinyin key already holds the reading (surnames with their own reading included); a county has
    a few dozen delegations, spelled once each."""
    from renda.deputies.models import Deputy, Mandate
    from renda.deputies.selectors import congress_deputy_choices

    from .jurisdiction import county_of

    q = q.strip()
    needle = q.lower()
    spelled = needle.isascii() and needle.isalpha()
    own = Deputy.objects.filter(user=user).select_related("region").first()
    # The searcher's own county only (issue 15 §1): staff by their region, a deputy by where they live.
    region = getattr(user, "region", None)
    if region is None:
        region = own.region if own else None
    within = county_of(region)
    if within is None:
        return []
    leads = {own.pk} if own else set()
    if str(lead_deputy).isdigit():
        leads.add(int(lead_deputy))
    serving = congress_deputy_choices(within=within).exclude(pk__in=leads)
    delegations = dict(
        Mandate.objects.filter(
            deputy__in=serving.values("pk"), status=Mandate.Status.SERVING, congress__level="county"
        )
        .exclude(delegation="")
        .values_list("deputy_id", "delegation")
    )
    matching_delegations = {
        name
        for name in set(delegations.values())
        if q in name or (spelled and _spelled_initials(name).startswith(needle))
    }
    found = []
    for deputy in serving.only("pk", "name", "pinyin_key", "stroke_key"):
        delegation = delegations.get(deputy.pk, "")
        if (
            q in deputy.name
            or (spelled and _initials(deputy.pinyin_key).startswith(needle))
            or delegation in matching_delegations
        ):
            deputy.delegation = delegation
            found.append(deputy)
    return found


def lead_deputy_search(user, q: str) -> list:
    """The paper entry's lead deputy picker: deputies serving in the clerk's own county congress,
    matched as co-signers are (name, pinyin initials, delegation)."""
    return cosigner_search(user, q)


def cosigner_label(deputy) -> str:
    delegation = getattr(deputy, "delegation", "")
    return f"{deputy.name}（{delegation}）" if delegation else deputy.name
