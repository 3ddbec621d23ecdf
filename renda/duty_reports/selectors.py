"""Reads of duty reports, scoped to the asking user."""

from django.db.models import Count, Q, QuerySet

from renda.core.access import access_object, scope_queryset

from .models import DutyReport, EvaluationRule, VoteCode


def duty_report_list(*, user, state: str = "", deputy=None, year: int | None = None) -> QuerySet[DutyReport]:
    """Reports the user may see, newest meeting first, with deputy, congress and rule joined."""
    qs = scope_queryset(DutyReport.objects.select_related("deputy", "congress", "rule", "station"), user)
    if state:
        qs = qs.filter(state=state)
    if deputy is not None:
        qs = qs.filter(deputy=deputy)
    if year:
        import datetime

        qs = qs.filter(held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))
    return qs.annotate(codes_used=Count("vote_codes", filter=Q(vote_codes__used_at__isnull=False))).order_by(
        "-held_on", "-id"
    )


def duty_report_get(*, user, pk: int, permission: str = "duty_reports.view") -> DutyReport:
    """One report, or Http404 whether it is missing or outside the user's jurisdiction."""
    return access_object(
        DutyReport.objects.select_related("deputy", "congress", "rule", "station"),
        user,
        permission=permission,
        pk=pk,
    )


def deputy_reports(*, deputy) -> list[DutyReport]:
    """A deputy's reports that were held (closed), oldest first: for the dossier. One query."""
    return list(
        DutyReport.objects.filter(deputy=deputy, state=DutyReport.State.CLOSED)
        .select_related("congress", "rule")
        .order_by("held_on", "id")
    )


def rule_choices(*, user) -> QuerySet[EvaluationRule]:
    """Rules of the user's region, of the regions above it (a county's rule serves its townships)
    and of the regions below it."""
    region = getattr(user, "region", None)
    if region is None:
        return EvaluationRule.objects.none()
    ancestors = [code for code in region.path.split("/") if code]
    return (
        EvaluationRule.objects.filter(Q(region__code__in=ancestors) | Q(region__path__startswith=region.path))
        .select_related("region")
        .order_by("region__code", "name", "id")
    )


def deputy_search(user, q: str):
    """Deputies in the user's jurisdiction by name, for the scheduling form's picker."""
    from renda.core.access import has_permission
    from renda.deputies.models import Deputy

    if not has_permission(user, "duty_reports.manage"):
        return Deputy.objects.none()
    return (
        scope_queryset(Deputy.objects.select_related("region"), user)
        .filter(name__contains="".join(q.split()))
        .order_by("stroke_key", "id")
    )


def _deputy_label(deputy) -> str:
    return f"{deputy.name}（{deputy.region.name}）"


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "duty-report-deputy", permission="duty_reports.manage", search=deputy_search, label=_deputy_label
    )


def vote_code_page(*, code: str) -> VoteCode | None:
    """The public voting page's code (no user: the code is the credential), or None."""
    if not code or len(code) > 32:
        return None
    return VoteCode.objects.select_related("report__deputy", "report__rule").filter(code=code).first()


def report_codes(*, report: DutyReport) -> QuerySet[VoteCode]:
    return VoteCode.objects.filter(report=report).order_by("number")
