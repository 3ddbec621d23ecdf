"""The dossier (一代表一档案): a rendering of one deputy's duty records for one term, and nothing else.

Everything a section shows comes from the duty-record spine (renda.duty_records) and the rows those
records link to (source_type/source_id): suggestion steps and evaluations, contacts, duty reports.
Profile, mandates, external roles and stations come from the deputies and network apps. A fixed
number of queries, whatever the number of records (tests assert it).

Sections follow what local dossier rules list (e.g. 《大方县人大代表履职档案管理办法》, after
《代表法》 arts. 4 and 45: attending sessions, taking part in inspections and surveys, study,
suggestions, contact with the people, reporting to constituents).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from renda.core.access import access_object
from renda.deputies.models import Contact, Deputy, Mandate
from renda.deputies.selectors import deputy_profile
from renda.duty_records.models import DutyRecord

Kind = DutyRecord.Kind

# Attribute that marks a commendation (表彰奖励) recorded on the spine: kind `other`,
# attributes {"category": "commendation", "awarded_by": "..."} (see services.commendation_add).
COMMENDATION = "commendation"

# (key, title, kinds) in the order of the dossier. A kind not listed falls into "activities".
SECTIONS: list[tuple[str, object, tuple[str, ...]]] = [
    ("meetings", _("出席会议"), (Kind.MEETING, Kind.LEAVE, Kind.ABSENCE)),
    (
        "activities",
        _("视察、调研与其他活动"),
        (
            Kind.INSPECTION,
            Kind.SURVEY,
            Kind.LAW_INSPECTION,
            Kind.INQUIRY,
            Kind.CAMPAIGN,
            Kind.JOINT_INSPECTION,
            Kind.SUPERVISION,
            Kind.LEGISLATION,
            Kind.OTHER,
        ),
    ),
    ("study", _("学习培训"), (Kind.STUDY, Kind.TRAINING)),
    ("suggestions", _("建议、议案及办理评价"), (Kind.SUGGESTION, Kind.MOTION, Kind.EVALUATION)),
    ("contacts", _("联系群众与常委会组成人员"), (Kind.RECEPTION, Kind.CONTACT)),
    ("duty_reports", _("向选民述职"), (Kind.DUTY_REPORT,)),
    ("commendations", _("表彰奖励"), ()),
]
SECTION_OF_KIND = {kind: key for key, _title, kinds in SECTIONS for kind in kinds}
SECTION_TITLES = {key: title for key, title, _kinds in SECTIONS}
HOUR_UNITS = ("小时", "学时")


@dataclass
class Entry:
    """One line of a dossier section: the record and what its source adds (outcome, evaluation…)."""

    record: DutyRecord
    detail: str = ""

    @property
    def date(self) -> datetime.date:
        return self.record.occurred_on


@dataclass
class Dossier:
    """What the page, the PDF and the API show. `sections`: [(key, title, [Entry])] in dossier order,
    each sorted by date; `calendar`: [(year, [(month, count)] × 12)]; hours in 小时/学时."""

    deputy: Deputy
    mandate: Mandate | None
    since: datetime.date | None
    until: datetime.date | None
    profile: dict
    stations: list
    sections: list = field(default_factory=list)
    calendar: list = field(default_factory=list)
    study_hours: Decimal = Decimal("0")
    activity_hours: Decimal = Decimal("0")
    total: int = 0
    points: list = field(default_factory=list)

    @property
    def term_label(self) -> str:
        return self.mandate.congress.name if self.mandate else str(_("全部届次"))


def dossier_deputy(*, user, pk: int) -> Deputy:
    """The deputy whose dossier `user` may read: their own (a deputy), any in their jurisdiction
    (staff, leaders); anything else is Http404, like a missing one (renda.core.access)."""
    return access_object(Deputy.objects.select_related("region"), user, permission="dossier.view", pk=pk)


def dossier_mandate(*, deputy: Deputy, mandate_id: int | None) -> Mandate | None:
    """The term (mandate) asked for, else the deputy's newest serving one, else None (all records)."""
    mandates = deputy.mandates.select_related("congress").order_by("-congress__starts_on", "-id")
    if mandate_id:
        return mandates.filter(pk=mandate_id).first()
    return mandates.filter(status=Mandate.Status.SERVING).first() or mandates.first()


def _period(mandate: Mandate | None) -> tuple[datetime.date | None, datetime.date | None]:
    if mandate is None:
        return None, None
    since = mandate.starts_on or mandate.congress.starts_on
    until = mandate.ends_on or mandate.congress.ends_on
    return since, until


def dossier_records(*, deputy: Deputy, since=None, until=None):
    """Standing, approved records of the deputy in [since, until] (either may be None), oldest first.
    Pending or rejected declarations and withdrawn records are not part of the dossier."""
    qs = DutyRecord.objects.standing().filter(deputy=deputy, review_state=DutyRecord.Review.APPROVED)
    if since:
        qs = qs.filter(occurred_on__gte=since)
    if until:
        qs = qs.filter(occurred_on__lte=until)
    return qs.order_by("occurred_on", "id")


def _suggestion_details(records: list[DutyRecord]) -> dict[int, str]:
    """{record id: "办理状态：…；评价：…"} for suggestion, motion and evaluation records, in ≤3 queries."""
    from renda.suggestions.models import Evaluation, Suggestion, SuggestionEvent

    event_ids = [r.source_id for r in records if r.source_type == "suggestions.suggestionevent"]
    evaluation_ids = [r.source_id for r in records if r.source_type == "suggestions.evaluation"]
    suggestion_of: dict[str, int] = {
        f"s{r.source_id}": int(r.source_id)
        for r in records
        if r.source_type == "suggestions.suggestion" and r.source_id.isdigit()
    }
    if event_ids:
        suggestion_of.update(
            {
                f"e{pk}": sid
                for pk, sid in SuggestionEvent.objects.filter(pk__in=event_ids).values_list(
                    "id", "suggestion_id"
                )
            }
        )
    if evaluation_ids:
        suggestion_of.update(
            {
                f"v{pk}": sid
                for pk, sid in Evaluation.objects.filter(pk__in=evaluation_ids).values_list(
                    "id", "suggestion_id"
                )
            }
        )
    if not suggestion_of:
        return {}
    suggestions = {
        s.pk: s
        for s in Suggestion.objects.filter(pk__in=set(suggestion_of.values())).prefetch_related("evaluations")
    }
    details = {}
    for record in records:
        prefix = {
            "suggestions.suggestion": "s",
            "suggestions.suggestionevent": "e",
            "suggestions.evaluation": "v",
        }.get(record.source_type)
        suggestion = suggestions.get(suggestion_of.get(f"{prefix}{record.source_id}")) if prefix else None
        if suggestion is None:
            continue
        evaluations = sorted(suggestion.evaluations.all(), key=lambda e: e.round)
        text = str(_("办理状态：%(s)s")) % {"s": suggestion.get_state_display()}
        if suggestion.is_key:
            text += str(_("（重点建议）"))
        if evaluations:
            text += str(_("；代表评价：%(r)s")) % {"r": evaluations[-1].get_result_display()}
        details[record.pk] = text
    return details


def _contact_details(records: list[DutyRecord]) -> dict[int, str]:
    ids = [r.source_id for r in records if r.source_type == "deputies.contact"]
    if not ids:
        return {}
    kinds = dict(Contact.objects.filter(pk__in=ids).values_list("id", "kind"))
    label = dict(Contact.Kind.choices)
    return {
        r.pk: str(label[kinds[int(r.source_id)]])
        for r in records
        if r.source_type == "deputies.contact" and int(r.source_id) in kinds
    }


def _report_details(records: list[DutyRecord]) -> dict[int, str]:
    from renda.duty_reports.models import DutyReport

    ids = [r.source_id for r in records if r.source_type == "duty_reports.dutyreport"]
    if not ids:
        return {}
    reports = {str(r.pk): r for r in DutyReport.objects.filter(pk__in=ids)}
    details = {}
    for record in records:
        report = reports.get(record.source_id) if record.source_type == "duty_reports.dutyreport" else None
        if report is None:
            continue
        text = str(_("%(p)s，测评结果：%(r)s（%(v)s%%，到会%(a)s人）")) % {
            "p": report.place,
            "r": report.result,
            "v": report.result_percent,
            "a": report.attendance,
        }
        if report.rectification_required:
            text += str(_("；须于%(d)s前提交整改方案")) % {"d": report.rectification_due}
            if report.rectification_submitted_at:
                text += str(_("（已提交）"))
        details[record.pk] = text
    return details


def _calendar(records: list[DutyRecord], since, until) -> list[tuple[int, list[tuple[int, int]]]]:
    """[(year, [(month, records that month) for months 1–12])] from the first to the last year of the
    term (or of the records), so that empty months show as empty."""
    counts = Counter((r.occurred_on.year, r.occurred_on.month) for r in records)
    years = {y for y, _m in counts}
    first = since.year if since else (min(years) if years else None)
    last = min(until.year, datetime.date.today().year) if until else (max(years) if years else None)
    if first is None or last is None:
        return []
    last = max(last, max(years) if years else last)
    return [(y, [(m, counts.get((y, m), 0)) for m in range(1, 13)]) for y in range(first, last + 1)]


def dossier_build(*, deputy: Deputy, mandate: Mandate | None = None, with_points: bool = True) -> Dossier:
    """The dossier of `deputy` for `mandate`'s term (all records when None). The caller has checked
    access (dossier_deputy). Queries: a fixed number (about a dozen), however many records."""
    since, until = _period(mandate)
    profile = deputy_profile(deputy=deputy)
    stations = list(deputy.stations.select_related("station", "station__region").order_by("station__name"))
    records = list(dossier_records(deputy=deputy, since=since, until=until))
    details: dict[int, str] = {}
    details.update(_suggestion_details(records))
    details.update(_contact_details(records))
    details.update(_report_details(records))
    grouped: dict[str, list[Entry]] = defaultdict(list)
    study_hours = activity_hours = Decimal("0")
    for record in records:
        attributes = record.attributes or {}
        if attributes.get("category") == COMMENDATION:
            key = "commendations"
            detail = str(attributes.get("awarded_by", ""))
        else:
            key = SECTION_OF_KIND.get(record.kind, "activities")
            detail = details.get(record.pk, "")
        if record.unit in HOUR_UNITS:
            if key == "study":
                study_hours += record.quantity
            elif key == "activities":
                activity_hours += record.quantity
        grouped[key].append(Entry(record=record, detail=detail))
    sections = [(key, title, grouped.get(key, [])) for key, title, _kinds in SECTIONS]
    dossier = Dossier(
        deputy=deputy,
        mandate=mandate,
        since=since,
        until=until,
        profile=profile,
        stations=stations,
        sections=sections,
        calendar=_calendar(records, since, until),
        study_hours=study_hours,
        activity_hours=activity_hours,
        total=len(records),
    )
    if with_points:
        dossier.points = dossier_points(deputy=deputy, since=since, until=until)
    return dossier


def dossier_points(*, deputy: Deputy, since, until) -> list:
    """Points by period for the term's years, from renda.points when that app is installed; [] before.

    Shape: [{"year": 2024, "points": [renda.points.selectors.deputy_points(deputy, 2024) items]}]
    with only the years that have a published scheme."""
    from django.apps import apps

    if not apps.is_installed("renda.points"):
        return []
    from renda.points.models import Scheme
    from renda.points.selectors import deputy_points

    today = datetime.date.today()
    first = since.year if since else today.year
    last = min(until.year, today.year) if until else today.year
    # One query for the years that have a published scheme, then deputy_points (3 queries) for each.
    published = set(
        Scheme.objects.filter(
            congress__mandates__deputy=deputy, state=Scheme.State.PUBLISHED, year__gte=first, year__lte=last
        ).values_list("year", flat=True)
    )
    years = [{"year": year, "points": deputy_points(deputy, year)} for year in sorted(published)]
    return [y for y in years if y["points"]]


def batch_deputies(*, user, region=None, congress=None):
    """Deputies for a batch of dossiers: serving in `congress`, or living in `region`'s subtree, within
    the user's jurisdiction; stroke order (按姓氏笔画为序). Iterated, never loaded at once."""
    from renda.core.access import scope_queryset

    qs = scope_queryset(Deputy.objects.all(), user)
    if congress is not None:
        qs = qs.filter(mandates__congress=congress)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs.distinct().order_by("stroke_key", "id")


def handbook_parts(*, deputy: Deputy, mandate: Mandate | None) -> dict:
    """What the handbook prints besides the law: the deputy's stations (with their public contact),
    the committee members who keep in contact with them (双联系), and the points scheme in plain words
    when the points app provides one (None: the section is left out)."""
    from renda.deputies.models import ContactAssignment

    stations = [link.station for link in deputy.stations.select_related("station", "station__region")]
    contacts = [
        a.member
        for a in ContactAssignment.objects.filter(deputy=deputy, ends_on__isnull=True).select_related(
            "member"
        )
    ]
    return {
        "deputy": deputy,
        "mandate": mandate,
        "stations": stations,
        "contacts": contacts,
        "scheme": handbook_scheme(deputy=deputy, year=datetime.date.today().year),
    }


def handbook_scheme(*, deputy: Deputy, year: int) -> list | None:
    """The year's points scheme as plain-word lines (scheme_words.py), when the points app is
    installed and has a published scheme for the deputy; None leaves the handbook's section out."""
    from django.apps import apps

    if not apps.is_installed("renda.points"):
        return None
    from .scheme_words import scheme_plain_words

    return scheme_plain_words(deputy=deputy, year=year)
