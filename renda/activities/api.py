"""Activities in the API: the same selectors, services and scoping as the pages. A deputy client
(mini-program) can work from it alone: my invitations, answer, check in by token, attendance."""

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.access import has_permission
from renda.core.api import InputSchema, Pagination, require

from . import selectors, services
from .models import Activity, Invitation

router = Router(tags=["代表活动"])


def _require_any(request, *permissions: str) -> str:
    for permission in permissions:
        if has_permission(request.user, permission):
            return permission
    require(request, permissions[0])  # refuses like "not found" and audits
    return permissions[0]


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    organizer_id: int
    organizer_name: str
    campaign_id: int | None
    law: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    agenda: str
    hours: Decimal
    state: str

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_organizer_name(obj: Activity) -> str:
        return obj.organizer.name


class ActivityFilters(InputSchema):
    kind: str = Field("", max_length=50)
    year: int | None = None
    q: str = Field("", max_length=100)


class InvitationOut(Schema):
    id: int
    activity: ActivityOut
    answer: str
    leave_reason: str
    leave_state: str
    attendance: str
    checked_in_at: datetime.datetime | None


class AttendanceOut(Schema):
    invitation_id: int
    deputy_id: int
    deputy_name: str
    answer: str
    leave_reason: str
    leave_state: str
    attendance: str
    checked_in_at: datetime.datetime | None
    duty_record_id: int | None

    @staticmethod
    def resolve_invitation_id(obj: Invitation) -> int:
        return obj.pk

    @staticmethod
    def resolve_deputy_name(obj: Invitation) -> str:
        return obj.deputy.name


class AnswerIn(InputSchema):
    answer: str = Field(max_length=50)
    reason: str = Field("", max_length=1000)


class CheckInIn(InputSchema):
    token: str = Field(max_length=200)


@router.get("", response=list[ActivityOut])
@paginate(Pagination)
def activity_index(request: HttpRequest, filters: Query[ActivityFilters]):
    """Activities the caller may see: staff by jurisdiction, a department its own, a deputy those
    they are invited to."""
    _require_any(request, "activities.view", "activities.attend")
    return selectors.activity_list(user=request.user, kind=filters.kind, year=filters.year, q=filters.q)


@router.get("/invitations/mine", response=list[InvitationOut])
@paginate(Pagination)
def my_invitations(request: HttpRequest):
    require(request, "activities.attend")
    return selectors.my_invitations(user=request.user)


@router.post("/invitations/{int:invitation_id}/answer", response=InvitationOut)
def answer(request: HttpRequest, invitation_id: int, payload: AnswerIn):
    """报名 (answer="attend") or 请假 (answer="leave", reason required). Only one's own invitation."""
    invitation = selectors.invitation_get(user=request.user, pk=invitation_id, permission="activities.attend")
    return services.invitation_answer(
        actor=request.user, invitation=invitation, answer=payload.answer, reason=payload.reason
    )


@router.get("/{int:activity_id}", response=ActivityOut)
def activity_detail(request: HttpRequest, activity_id: int):
    permission = _require_any(request, "activities.view", "activities.attend")
    return selectors.activity_get(user=request.user, pk=activity_id, permission=permission)


@router.post("/{int:activity_id}/check-in", response=InvitationOut)
def check_in(request: HttpRequest, activity_id: int, payload: CheckInIn):
    """Check the calling deputy in with the token from the QR code (the `t` of its link)."""
    require(request, "activities.attend")
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    return services.invitation_check_in(actor=request.user, activity=activity, token=payload.token)


@router.get("/{int:activity_id}/attendance", response=list[AttendanceOut])
def attendance(request: HttpRequest, activity_id: int):
    """Who was invited, who answered what, who is checked in (staff who see the activity)."""
    activity = selectors.activity_get(user=request.user, pk=activity_id, permission="activities.view")
    return selectors.activity_detail(activity=activity)["invitations"]
