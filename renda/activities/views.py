"""Activity pages: staff (/activities/) plan, invite, show the check-in code and keep attendance;
deputies (/activities/mine/) answer invitations, check in after scanning, follow campaign tasks."""

import segno
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import AUTHENTICATED, has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView
from renda.deputies import selectors as deputy_selectors
from renda.deputies.models import Deputy
from renda.deputies.selectors import deputy_for_user

from . import checkin, selectors, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    AnswerForm,
    CampaignForm,
    CampaignTaskForm,
    ExternalParticipantForm,
    FollowUpForm,
    InviteForm,
    LeaveDecisionForm,
    MaterialForm,
    OutputsForm,
    RaisedOpinionForm,
    ReasonForm,
    TakeUpForm,
)
from .models import Activity, ExternalParticipant, Invitation, RaisedOpinion


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


def qr_svg(payload: str, *, title: str = "") -> str:
    """An inline SVG QR code sized by the stylesheet (as the station posters draw theirs)."""
    return segno.make(payload, error="m", micro=False).svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True, title=title or None
    )


def absolute(request, path: str) -> str:
    base = (getattr(settings, "RENDA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


# --- staff: activities ----------------------------------------------------------------------------


class ActivityListView(RendaView):
    permission = "activities.view"

    def get(self, request):
        form = ActivityFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        activities = selectors.activity_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = Paginator(activities, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request,
            "activities/activity_list.html",
            "activities/_activity_rows.html",
            {"form": form, "page": page, "can_manage": has_permission(request.user, "activities.manage")},
        )


class ActivityEditView(RendaView):
    """Plan (no pk) or change an activity. Another township's activity answers 404."""

    permission = "activities.manage"
    template_name = "activities/activity_form.html"

    def _form(self, request, data=None, initial=None):
        return ActivityForm(
            data,
            initial=initial,
            organizers=selectors.organizer_choices(user=request.user),
            co_organizers=selectors.co_organizer_choices(user=request.user),
            campaigns=selectors.campaign_choices(user=request.user),
        )

    def _activity(self, request, pk):
        return (
            None
            if pk is None
            else selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        )

    def get(self, request, pk=None):
        activity = self._activity(request, pk)
        initial = {}
        if activity is not None:
            initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
            initial["starts_at"] = timezone.localtime(activity.starts_at)
            initial["ends_at"] = timezone.localtime(activity.ends_at)
            initial["co_organizers"] = list(activity.co_organizers.all())
        form = self._form(request, initial=initial)
        return render(request, self.template_name, {"form": form, "activity": activity})

    def post(self, request, pk=None):
        activity = self._activity(request, pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            co = list(data.pop("co_organizers"))
            try:
                if activity is None:
                    activity = services.activity_create(actor=request.user, co_organizers=co, **data)
                else:
                    activity = services.activity_update(
                        actor=request.user, activity=activity, data=data, co_organizers=co
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("活动“%(t)s”已保存。") % {"t": activity.title})
                return redirect("activities:detail", pk=activity.pk)
        return render(request, self.template_name, {"form": form, "activity": activity}, status=400)


def _invite_form(request, data=None):
    user = request.user
    congresses = deputy_selectors.congress_choices(user=user)
    return InviteForm(
        data,
        congresses=congresses,
        townships=deputy_selectors.township_choices(user=user),
        constituencies=deputy_selectors.constituency_options(user=user, congresses=congresses),
        stations=deputy_selectors.station_choices(user=user) or Deputy.objects.none(),
        delegations=selectors.delegation_choices(user=user),
        organizations=deputy_selectors.external_role_organizations(user=user),
    )


class ActivityDetailView(RendaView):
    permission = "activities.view"

    def get(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk)
        context = {"activity": activity, **selectors.activity_detail(activity=activity)}
        if has_permission(request.user, "activities.manage"):
            follow_up = context["follow_up"]
            context.update(
                can_manage=True,
                invite_form=_invite_form(request),
                material_form=MaterialForm(),
                external_form=ExternalParticipantForm(),
                outputs_form=OutputsForm(initial={"report": activity.report, "problems": activity.problems}),
                opinion_form=RaisedOpinionForm(
                    deputies=Deputy.objects.filter(invitations__activity=activity).order_by("stroke_key")
                ),
                follow_up_form=FollowUpForm(
                    initial={
                        f: getattr(follow_up, f)
                        for f in ("reported_on", "review_opinions", "sent_on", "responded_on", "response")
                    }
                )
                if follow_up
                else None,
            )
        return render(request, "activities/activity_detail.html", context)


class AttendanceView(RendaView):
    """The attendance table alone, polled by htmx so staff see check-ins as they arrive."""

    permission = "activities.view"

    def get(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk)
        context = {
            "activity": activity,
            "poll": activity.state == Activity.State.PLANNED,
            "can_manage": has_permission(request.user, "activities.manage"),
            **selectors.activity_detail(activity=activity),
        }
        return render(request, "activities/_attendance.html", context)


class InviteView(RendaView):
    """Preview (count and names) the deputies the filters pick, then invite them with `confirm`."""

    permission = "activities.manage"

    def post(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        form = _invite_form(request, request.POST)
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("activities:detail", pk=activity.pk)
        candidates = selectors.invitee_candidates(user=request.user, **form.filters())
        if not form.cleaned_data.get("confirm"):
            names = list(candidates[:200])
            return render(
                request,
                "activities/invite_preview.html",
                {"activity": activity, "form": form, "candidates": names, "count": candidates.count()},
            )
        picks = {int(p) for p in request.POST.getlist("pick") if p.isdigit()}
        shown = list(candidates.values_list("pk", flat=True)[:200])
        # Deputies left unticked in the preview are not invited; those beyond the preview are.
        candidates = candidates.exclude(pk__in=[pk for pk in shown if pk not in picks])
        try:
            created = services.invitations_add(actor=request.user, activity=activity, deputies=candidates)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("已邀请 %(n)s 位代表（已邀请过的不重复邀请）。") % {"n": len(created)}
            )
        return redirect("activities:detail", pk=activity.pk)


class ChaseView(RendaView):
    permission = "activities.manage"

    def post(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        try:
            count = services.invitations_chase(actor=request.user, activity=activity)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已提醒 %(n)s 位未答复的代表。") % {"n": count})
        return redirect("activities:detail", pk=activity.pk)


class CloseAttendanceView(RendaView):
    permission = "activities.manage"

    def post(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        try:
            absent = services.activity_close_attendance(activity=activity, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("考勤已结束，%(n)s 位代表记为无故缺席。") % {"n": absent})
        return redirect("activities:detail", pk=activity.pk)


class InvitationActionView(RendaView):
    """Staff act on one invitation: decide leave, check in or out by hand, revoke an absence."""

    permission = "activities.manage"

    def post(self, request, pk, action):
        invitation = selectors.invitation_get(user=request.user, pk=pk, permission=self.permission)
        try:
            if action == "leave":
                form = LeaveDecisionForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_first_error(form))
                services.leave_decide(
                    actor=request.user,
                    invitation=invitation,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            elif action in ("check_in", "check_out", "revoke_absence"):
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("请填写原因"), field="reason")
                if action == "revoke_absence":
                    services.absence_revoke(
                        actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"]
                    )
                else:
                    services.attendance_correct(
                        actor=request.user,
                        invitation=invitation,
                        present=action == "check_in",
                        reason=form.cleaned_data["reason"],
                    )
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, _("%(d)s：%(m)s") % {"d": invitation.deputy.name, "m": exc.message})
        else:
            messages.success(request, _("%(d)s：已保存。") % {"d": invitation.deputy.name})
        return redirect(reverse("activities:detail", args=[invitation.activity_id]) + "#attendance")


def _add_material(request, activity, data):
    services.material_add(actor=request.user, activity=activity, upload=data["file"], kind=data["kind"])


def _add_external(request, activity, data):
    services.external_participant_add(actor=request.user, activity=activity, **data)


def _save_outputs(request, activity, data):
    services.activity_outputs_update(actor=request.user, activity=activity, **data)


def _add_opinion(request, activity, data):
    services.raised_opinion_add(actor=request.user, activity=activity, **data)


def _save_follow_up(request, activity, data):
    services.follow_up_update(actor=request.user, activity=activity, **data)


PARTS = {
    "material": (lambda request, activity: MaterialForm(request.POST, request.FILES), _add_material),
    "external": (lambda request, activity: ExternalParticipantForm(request.POST), _add_external),
    "outputs": (lambda request, activity: OutputsForm(request.POST), _save_outputs),
    "opinion": (
        lambda request, activity: RaisedOpinionForm(
            request.POST, deputies=Deputy.objects.filter(invitations__activity=activity)
        ),
        _add_opinion,
    ),
    "follow_up": (lambda request, activity: FollowUpForm(request.POST), _save_follow_up),
}


class ActivityPartView(RendaView):
    """Add a material, an external participant, an opinion raised; save outputs or the follow-up."""

    permission = "activities.manage"

    def post(self, request, pk, part):
        if part not in PARTS:
            raise Http404
        activity = selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        make_form, save = PARTS[part]
        form = make_form(request, activity)
        if not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                save(request, activity, form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已保存。"))
        return redirect(reverse("activities:detail", args=[activity.pk]) + f"#{part}")


class ExternalRemoveView(RendaView):
    permission = "activities.manage"

    def post(self, request, pk):
        row = ExternalParticipant.objects.filter(pk=pk).first()
        if row is None:
            raise Http404
        activity = selectors.activity_get(user=request.user, pk=row.activity_id, permission=self.permission)
        services.external_participant_remove(actor=request.user, participant=row)
        messages.success(request, _("已删除。"))
        return redirect(reverse("activities:detail", args=[activity.pk]) + "#external")


class MaterialDownloadView(RendaView):
    """Staff who see the activity, and its invitees, may download its files."""

    permission = AUTHENTICATED

    def get(self, request, pk, material_id):
        permission = (
            "activities.view" if has_permission(request.user, "activities.view") else "activities.attend"
        )
        activity = selectors.activity_get(user=request.user, pk=pk, permission=permission)
        material = activity.materials.filter(pk=material_id).first()
        if material is None:
            raise Http404
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.name)


class CheckinCodeView(RendaView):
    """The check-in QR code for the screen or for paper (staff). A new code each time it is shown;
    every code stops working after the activity's window."""

    permission = "activities.manage"

    def get(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk, permission=self.permission)
        url = absolute(request, checkin.checkin_path(activity))
        opens, closes = checkin.window(activity)
        return render(
            request,
            "activities/checkin_code.html",
            {
                "activity": activity,
                "checkin_url": url,
                "qr_svg": qr_svg(url, title=_("扫码签到")),
                "opens": opens,
                "closes": closes,
            },
        )


class FollowUpListView(RendaView):
    permission = "activities.view"

    def get(self, request):
        rows = selectors.follow_up_list(user=request.user, overdue=request.GET.get("overdue") == "1")
        page = Paginator(rows, 30).get_page(request.GET.get("page"))
        return render(
            request, "activities/follow_up_list.html", {"page": page, "today": timezone.localdate()}
        )


# --- staff: campaigns ---------------------------------------------------------------------------


class CampaignListView(RendaView):
    permission = "activities.view"

    def get(self, request):
        page = Paginator(selectors.campaign_list(user=request.user), 30).get_page(request.GET.get("page"))
        context = {"page": page}
        if has_permission(request.user, "activities.manage"):
            context["form"] = CampaignForm(organizers=selectors.organizer_choices(user=request.user))
        return render(request, "activities/campaign_list.html", context)

    def post(self, request):
        if not has_permission(request.user, "activities.manage"):
            raise Http404
        form = CampaignForm(request.POST, organizers=selectors.organizer_choices(user=request.user))
        if form.is_valid():
            try:
                campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("主题活动已创建，请添加任务。"))
                return redirect("activities:campaign_detail", pk=campaign.pk)
        page = Paginator(selectors.campaign_list(user=request.user), 30).get_page(1)
        return render(request, "activities/campaign_list.html", {"page": page, "form": form}, status=400)


class CampaignDetailView(RendaView):
    """A campaign's tasks and each deputy's completion, counted from the duty records (30 a page)."""

    permission = "activities.view"

    def get(self, request, pk):
        campaign = selectors.campaign_get(user=request.user, pk=pk)
        participants = selectors.campaign_participants(campaign=campaign)
        page = Paginator(participants, 30).get_page(request.GET.get("page"))
        rows = selectors.campaign_completion(campaign=campaign, deputies=page.object_list)
        context = {
            "campaign": campaign,
            "tasks": list(campaign.tasks.all()),
            "page": page,
            "rows": rows,
            "activities": list(campaign.activities.order_by("starts_at")[:50]),
        }
        if has_permission(request.user, "activities.manage"):
            context["task_form"] = CampaignTaskForm()
        return render(request, "activities/campaign_detail.html", context)

    def post(self, request, pk):
        campaign = selectors.campaign_get(user=request.user, pk=pk, permission="activities.manage")
        form = CampaignTaskForm(request.POST)
        if not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                services.campaign_task_add(actor=request.user, campaign=campaign, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("任务已添加。"))
        return redirect("activities:campaign_detail", pk=campaign.pk)


# --- the deputy's phone pages -----------------------------------------------------------------------


class PortalView(RendaView):
    """Invitations to answer, upcoming activities, campaign tasks and their completion."""

    permission = "activities.attend"

    def get(self, request):
        deputy = deputy_for_user(user=request.user)
        if deputy is None:
            raise Http404
        invitations = list(selectors.my_invitations(user=request.user)[:50])
        now = timezone.now()
        context = {
            "deputy": deputy,
            "to_answer": [
                i
                for i in invitations
                if not i.answer and i.activity.ends_at > now and i.activity.state == "planned"
            ],
            "upcoming": [i for i in invitations if i.answer and i.activity.ends_at > now],
            "past": [i for i in invitations if i.activity.ends_at <= now][:10],
            "campaigns": selectors.portal_campaigns(deputy=deputy),
        }
        return render(request, "activities/portal.html", context)


def _my_invitation(request, pk) -> Invitation:
    """The caller's own invitation to activity `pk`; anyone else's (or none) is 404."""
    deputy = deputy_for_user(user=request.user)
    invitation = (
        Invitation.objects.select_related("activity", "activity__organizer", "deputy")
        .filter(activity_id=pk, deputy=deputy)
        .first()
        if deputy
        else None
    )
    if invitation is None:
        from renda.core.views import _deny

        _deny(request, "activities.attend")
    return invitation


class PortalDetailView(RendaView):
    permission = "activities.attend"

    def get(self, request, pk, form=None, status=200):
        invitation = _my_invitation(request, pk)
        activity = invitation.activity
        context = {
            "invitation": invitation,
            "activity": activity,
            "form": form
            or AnswerForm(
                initial={"answer": invitation.answer or "attend", "reason": invitation.leave_reason}
            ),
            "materials": list(activity.materials.all()),
            "opinions": list(activity.raised_opinions.select_related("deputy", "suggestion")),
            "take_up_form": TakeUpForm(),
            "can_answer": activity.state == Activity.State.PLANNED
            and not activity.has_ended
            and invitation.attendance != Invitation.Attendance.PRESENT,
        }
        return render(request, "activities/portal_detail.html", context, status=status)

    def post(self, request, pk):
        invitation = _my_invitation(request, pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_answer(
                    actor=request.user,
                    invitation=invitation,
                    answer=form.cleaned_data["answer"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if form.cleaned_data["answer"] == "attend":
                    messages.success(request, _("已报名，请按时参加。"))
                else:
                    messages.success(request, _("请假申请已提交，等待工作人员批准。"))
                return redirect("activities:portal")
        return self.get(request, pk, form=form, status=400)


class CheckinView(RendaView):
    """Where the QR code leads: a logged-in deputy confirms with one tap and is checked in."""

    permission = "activities.attend"

    def _activity(self, pk) -> Activity:
        activity = Activity.objects.select_related("organizer").filter(pk=pk).first()
        if activity is None:
            raise Http404
        return activity

    def get(self, request, pk):
        activity = self._activity(pk)
        token = request.GET.get("t", "")
        error = None
        try:
            checkin.checkin_verify(activity, token)
        except DomainError as exc:
            error = exc.message
        deputy = deputy_for_user(user=request.user)
        invitation = Invitation.objects.filter(activity=activity, deputy=deputy).first() if deputy else None
        if error is None and invitation is None:
            error = _("您不在本次活动的邀请名单中，请联系现场工作人员")
        if error is None and invitation.attendance == Invitation.Attendance.PRESENT:
            # A second scan: say so at once rather than offer a button that can only fail.
            error = _("您已于%(t)s签到，无需重复签到") % {
                "t": timezone.localtime(invitation.checked_in_at).strftime("%H:%M")
            }
        return render(
            request,
            "activities/checkin.html",
            {
                "activity": activity if invitation else None,
                "token": token,
                "error": error,
                "invitation": invitation,
            },
            status=400 if error else 200,
        )

    def post(self, request, pk):
        activity = self._activity(pk)
        token = request.POST.get("t", "")
        try:
            invitation = services.invitation_check_in(actor=request.user, activity=activity, token=token)
        except DomainError as exc:
            deputy = deputy_for_user(user=request.user)
            invitation = (
                Invitation.objects.filter(activity=activity, deputy=deputy).first() if deputy else None
            )
            return render(
                request,
                "activities/checkin.html",
                {
                    "activity": activity if invitation else None,
                    "token": token,
                    "error": exc.message,
                    "invitation": invitation,
                },
                status=400,
            )
        return render(
            request, "activities/checkin.html", {"activity": activity, "invitation": invitation, "done": True}
        )


class TakeUpView(RendaView):
    """An invitee takes an opinion raised at the activity up as a suggestion draft, then edits it."""

    permission = "activities.attend"

    def post(self, request, pk):
        opinion = RaisedOpinion.objects.select_related("activity").filter(pk=pk).first()
        if opinion is None:
            raise Http404
        _my_invitation(request, opinion.activity_id)
        form = TakeUpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("activities:portal_detail", pk=opinion.activity_id)
        try:
            suggestion = services.raised_opinion_take_up(
                actor=request.user, opinion=opinion, category=form.cleaned_data["category"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("activities:portal_detail", pk=opinion.activity_id)
        messages.success(request, _("已转为建议草稿，请修改完善后提交。"))
        return redirect("suggestions:edit", pk=suggestion.pk)
