"""Reads of the guidance app, scoped by user: lists, a township's items, the board and its rates
(computed from the event rows, so the board can be drawn as of any day), and the stations' rules.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import Role, access_object, has_permission, scope_queryset
from renda.network.models import ReceptionDay, ReceptionParticipant, Station
from renda.regions.models import Region

from .models import (
    Evidence,
    GuidanceGroup,
    GuidanceItem,
    GuidanceList,
    RuleKind,
    RuleTemplate,
    StationRule,
    TownshipItem,
    TownshipItemEvent,
)

Action = TownshipItemEvent.Action
Result = TownshipItem.Result


def guidance_list_list(*, user) -> QuerySet[GuidanceList]:
    ids = scope_queryset(GuidanceList.objects.all(), user).values("pk")
    return GuidanceList.objects.filter(pk__in=ids).select_related("region").order_by("-year", "-id")


def guidance_list_get(*, user, pk: int, permission: str = "guidance.view") -> GuidanceList:
    found = access_object(GuidanceList.objects.select_related("region"), user, permission=permission, pk=pk)
    return found


def guidance_list_current(*, user) -> GuidanceList | None:
    return guidance_list_list(user=user).first()


def guidance_items(*, guidance_list: GuidanceList) -> QuerySet[GuidanceItem]:
    """The list's items (the same for everyone who may see the list)."""
    return guidance_list.items.order_by("number")


def guidance_groups(*, guidance_list: GuidanceList) -> QuerySet[GuidanceGroup]:
    return guidance_list.groups.select_related("leader").prefetch_related(
        Prefetch("townships", queryset=Region.objects.order_by("code")), "members"
    )


def reviewer_townships(user, guidance_list_id: int) -> set[int]:
    """Region ids of the townships whose reports `user` reviews: those of the groups of the list that
    the user leads or belongs to."""
    if not has_permission(user, "guidance.review"):
        return set()
    groups = GuidanceGroup.objects.filter(guidance_list_id=guidance_list_id).filter(
        Q(leader=user) | Q(members=user)
    )
    return set(
        GuidanceGroup.townships.through.objects.filter(guidancegroup__in=groups).values_list(
            "region_id", flat=True
        )
    )


def can_review(user, item: TownshipItem) -> bool:
    return item.township_id in reviewer_townships(user, item.guidance_item.guidance_list_id)


def township_item_list(
    *,
    user,
    guidance_list: GuidanceList,
    township: Region | None = None,
    state: str = "",
    to_review: bool = False,
) -> QuerySet[TownshipItem]:
    """The cells the user may see: a township its own, the county all; `to_review` keeps those
    waiting for the user's group."""
    qs = scope_queryset(
        TownshipItem.objects.filter(guidance_item__guidance_list=guidance_list).select_related(
            "guidance_item", "township"
        ),
        user,
    )
    if township is not None:
        qs = qs.filter(township=township)
    if state:
        qs = qs.filter(state=state)
    if to_review:
        qs = qs.filter(
            state=TownshipItem.State.REPORTED, township_id__in=reviewer_townships(user, guidance_list.pk)
        )
    return qs.annotate(evidence_count=Count("evidence")).order_by("guidance_item__number", "township__code")


def township_item_get(*, user, pk: int, permission: str = "guidance.view") -> TownshipItem:
    events = (
        TownshipItemEvent.objects.select_related("actor")
        .prefetch_related("evidence")
        .order_by("occurred_at", "id")
    )
    return access_object(
        TownshipItem.objects.select_related(
            "guidance_item", "guidance_item__guidance_list", "township"
        ).prefetch_related(Prefetch("events", queryset=events), "evidence"),
        user,
        permission=permission,
        pk=pk,
    )


def evidence_get(*, user, pk: int) -> Evidence:
    return access_object(
        Evidence.objects.select_related("township_item"), user, permission="guidance.view", pk=pk
    )


def township_choices(*, user, guidance_list: GuidanceList) -> QuerySet[Region]:
    """The list's townships whose items the user may see (their own, or all of the county's)."""
    visible = scope_queryset(TownshipItem.objects.filter(guidance_item__guidance_list=guidance_list), user)
    return Region.objects.filter(pk__in=visible.values("township_id")).order_by("code")


# ---------- the board ----------

# How a cell looks: colour class, a shape that is not colour, a short text (never colour alone).
CELL_LOOKS = {
    "done": ("done", "✓", _("完成")),
    "not_applicable": ("na", "—", _("不适用")),
    "reported": ("reported", "◇", _("待审")),
    "in_progress": ("progress", "◐", _("推进中")),
    "returned": ("returned", "↩", _("退回")),
    "open": ("open", "○", _("未报")),
    "overdue": ("overdue", "✕", _("逾期")),
}
CLOSED = frozenset({"done", "not_applicable"})


def cell_status(last_action: str | None, last_result: str | None) -> str:
    """A cell's status from its latest event: nothing yet → open; a report waiting → reported;
    sent back → returned; accepted → done, not applicable, or in progress by the result."""
    if not last_action:
        return "open"
    if last_action == Action.REPORT:
        return "reported"
    if last_action == Action.SEND_BACK:
        return "returned"
    if last_result == Result.NOT_APPLICABLE:
        return "not_applicable"
    if last_result == Result.IN_PROGRESS:
        return "in_progress"
    return "done"


@dataclass
class BoardCell:
    pk: int
    item_id: int
    status: str  # a CELL_LOOKS key; "overdue" replaces open/returned/in_progress after the due date
    base_status: str

    @property
    def look(self):
        return CELL_LOOKS[self.status]


@dataclass
class BoardRow:
    township: Region
    cells: list  # aligned with the board's items; None where the item does not apply
    applicable: int = 0
    done: int = 0
    not_applicable: int = 0
    reported: int = 0
    overdue: int = 0
    stations: dict = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Completion: accepted "done" over the items that apply (accepted "not applicable" leaves
        the denominator). None when nothing applies."""
        denominator = self.applicable - self.not_applicable
        return round(100 * self.done / denominator, 1) if denominator else None


@dataclass
class Board:
    guidance_list: GuidanceList
    as_of: datetime.date
    items: list
    rows: list
    item_done: dict
    item_overdue: dict
    group: GuidanceGroup | None = None

    @property
    def rate(self) -> float | None:
        done = sum(r.done for r in self.rows)
        denominator = sum(r.applicable - r.not_applicable for r in self.rows)
        return round(100 * done / denominator, 1) if denominator else None

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)


def board(
    *,
    user,
    guidance_list: GuidanceList,
    group: GuidanceGroup | None = None,
    as_of: datetime.date | None = None,
) -> Board:
    """Townships × items as of the end of `as_of` (default today), from the events alone.

    Items with overdue cells come first (by due date), then the rest by number; townships with the
    most overdue items first, then by code. Four queries whatever the size.
    """
    as_of = as_of or timezone.localdate()
    end = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.max))
    latest = TownshipItemEvent.objects.filter(township_item=OuterRef("pk"), occurred_at__lte=end).order_by(
        "-occurred_at", "-id"
    )
    cells = (
        scope_queryset(TownshipItem.objects.filter(guidance_item__guidance_list=guidance_list), user)
        .annotate(
            last_action=Subquery(latest.values("action")[:1]),
            last_result=Subquery(latest.values("result")[:1]),
        )
        .values("pk", "guidance_item_id", "township_id", "last_action", "last_result")
    )
    if group is not None:
        cells = cells.filter(township__in=group.townships.all())
    items = list(guidance_items(guidance_list=guidance_list))
    due = {item.pk: item.due_on for item in items}
    by_township: dict[int, dict[int, BoardCell]] = {}
    for row in cells:
        base = cell_status(row["last_action"], row["last_result"])
        status = base
        if base in {"open", "returned", "in_progress"} and due[row["guidance_item_id"]] < as_of:
            status = "overdue"
        by_township.setdefault(row["township_id"], {})[row["guidance_item_id"]] = BoardCell(
            row["pk"], row["guidance_item_id"], status, base
        )
    townships = Region.objects.filter(pk__in=by_township).order_by("code")
    item_done = {item.pk: 0 for item in items}
    item_overdue = {item.pk: 0 for item in items}
    rows = []
    for township in townships:
        mine = by_township[township.pk]
        row = BoardRow(township=township, cells=[])
        for cell in mine.values():
            row.applicable += 1
            row.done += cell.status == "done"
            row.not_applicable += cell.status == "not_applicable"
            row.reported += cell.base_status != "open"
            row.overdue += cell.status == "overdue"
            item_done[cell.item_id] += cell.status == "done"
            item_overdue[cell.item_id] += cell.status == "overdue"
        rows.append(row)
    items.sort(key=lambda i: (item_overdue[i.pk] == 0, i.due_on if item_overdue[i.pk] else 0, i.number))
    rows.sort(key=lambda r: (-r.overdue, r.township.code))
    for row in rows:
        mine = by_township[row.township.pk]
        row.cells = [mine.get(item.pk) for item in items]
    return Board(guidance_list, as_of, items, rows, item_done, item_overdue, group)


def group_get(*, user, guidance_list: GuidanceList, pk: int) -> GuidanceGroup:
    found = scope_queryset(guidance_list.groups.all(), user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def groups_led_by(*, user, guidance_list: GuidanceList) -> list[GuidanceGroup]:
    if user.role not in (Role.LEADER, Role.COUNTY_STAFF):
        return []
    return list(guidance_list.groups.filter(Q(leader=user) | Q(members=user)).distinct().order_by("name"))


# ---------- the stations' rules ----------

RULE_KINDS = list(RuleKind)


@dataclass
class StationRules:
    station: Station
    rules: dict  # kind -> StationRule | None
    evidence: dict  # kind -> count of events that show the rule at work, or None when not measured

    def status(self, kind: str) -> str:
        """missing: no text; adopted: a text, not posted; posted; practised: posted with evidence."""
        rule = self.rules.get(kind)
        if rule is None or not rule.has_text:
            return "missing"
        if not rule.posted:
            return "adopted"
        evidence = self.evidence.get(kind)
        return "practised" if evidence else "posted"

    @property
    def complete(self) -> bool:
        """All four rules posted (evidence is shown but not demanded: a new station has none yet)."""
        return all(self.status(kind) in ("posted", "practised") for kind in RuleKind.values)


RULE_LOOKS = {
    "missing": ("open", "○", _("未建立")),
    "adopted": ("progress", "◐", _("未上墙")),
    "posted": ("reported", "◇", _("已上墙")),
    "practised": ("done", "✓", _("已落实")),
}


def station_township(station: Station) -> Region:
    region = station.region
    if region.level == Region.Level.VILLAGE and region.parent_id:
        return region.parent
    return region


def station_rules(*, user, year: int, township: Region | None = None) -> list[StationRules]:
    """Each station in the user's jurisdiction (township stations and below; the county's own are
    left out) with its four rules of `year` and the evidence that they are carried out:
    reception days held (接访走访选民制度) and deputies who took part in them (履职制度) come from the
    network app; study sessions and activities (学习制度、活动制度) are not measured until the
    activities app provides them. Four queries."""
    stations = scope_queryset(
        Station.objects.filter(is_active=True).exclude(
            kind__in=[
                Station.Kind.COUNTY_CENTER,
                Station.Kind.INDUSTRY_STATION,
                Station.Kind.LEGISLATIVE_STATION,
            ]
        ),
        user,
    ).select_related("region", "region__parent")
    if township is not None:
        stations = stations.filter(region__path__startswith=township.path)
    stations = list(stations.order_by("region__code", "kind", "name"))
    ids = [s.pk for s in stations]
    rules: dict[int, dict] = {}
    for rule in StationRule.objects.filter(station_id__in=ids, year=year):
        rules.setdefault(rule.station_id, {})[rule.kind] = rule
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    held = dict(
        ReceptionDay.objects.filter(
            station_id__in=ids, state=ReceptionDay.State.HELD, held_on__gte=first, held_on__lte=last
        )
        .values("station_id")
        .annotate(n=Count("pk"))
        .values_list("station_id", "n")
    )
    on_duty = dict(
        ReceptionParticipant.objects.filter(
            reception_day__station_id__in=ids,
            reception_day__state=ReceptionDay.State.HELD,
            reception_day__held_on__gte=first,
            reception_day__held_on__lte=last,
            attended=True,
        )
        .values("reception_day__station_id")
        .annotate(n=Count("deputy", distinct=True))
        .values_list("reception_day__station_id", "n")
    )
    return [
        StationRules(
            station=s,
            rules=rules.get(s.pk, {}),
            evidence={
                RuleKind.RECEPTION: held.get(s.pk, 0),
                RuleKind.DUTY: on_duty.get(s.pk, 0),
                RuleKind.STUDY: None,
                RuleKind.ACTIVITY: None,
            },
        )
        for s in stations
    ]


def station_rules_by_township(entries: list[StationRules]) -> dict[int, dict]:
    """Per township id: stations, stations with all four rules posted."""
    rollup: dict[int, dict] = {}
    for entry in entries:
        township = station_township(entry.station)
        row = rollup.setdefault(township.pk, {"township": township, "stations": 0, "complete": 0})
        row["stations"] += 1
        row["complete"] += entry.complete
    return rollup


def station_rules_latest_year(*, user) -> int:
    """The latest year with a rule recorded at a station the user sees, else this year."""
    latest = (
        scope_queryset(StationRule.objects.all(), user)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


def station_rule_get(*, user, station: Station, year: int, kind: str) -> StationRule | None:
    return StationRule.objects.filter(station=station, year=year, kind=kind).first()


def rule_templates(*, region: Region) -> dict[str, RuleTemplate]:
    """The county's templates by kind: those of the user's county (or the nearest region above)."""
    paths = [p for p in region.path.split("/") if p]
    found = {}
    for template in RuleTemplate.objects.filter(region__code__in=paths).select_related("region"):
        current = found.get(template.kind)
        if current is None or len(template.region.path) > len(current.region.path):
            found[template.kind] = template
    return found
