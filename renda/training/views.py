"""Training pages (/training/): plans and their items, sessions with the attendance grid, hours per
deputy, certificates, and the deputy's own training page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.access import has_permission, scope_queryset
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView

from . import certificates, selectors, services
from .forms import AttendeesForm, DayForm, PlanForm, PlanItemForm, SessionFilterForm, SessionForm
from .models import TrainingDay, TrainingPlan, TrainingSession


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


# ---------- plans ----------


class PlanListView(RendaView):
    permission = "training.view"

    def get(self, request):
        plans = selectors.training_plan_list(user=request.user)
        page = Paginator(plans, 30).get_page(request.GET.get("page"))
        return render(request, "training/plan_list.html", {"page": page})


class PlanCreateView(RendaView):
    permission = "training.manage"

    def _form(self, request, data=None):
        return PlanForm(
            data,
            congresses=selectors.congress_choices(user=request.user),
            initial={"year": timezone.localdate().year},
        )

    def get(self, request):
        return render(request, "training/plan_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                plan = services.training_plan_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("培训计划已创建，请添加培训事项。"))
                return redirect("training:plan_detail", pk=plan.pk)
        return render(request, "training/plan_form.html", {"form": form}, status=400)


class PlanDetailView(RendaView):
    permission = "training.view"

    def context(self, request, plan, item_form=None):
        items = selectors.plan_items(plan=plan)
        can_manage = has_permission(request.user, "training.manage")
        actions = [a for (state, a) in services.PLAN_TRANSITIONS if state == plan.state] if can_manage else []
        return {
            "plan": plan,
            "items": items,
            "budget_total": selectors.plan_budget_total(items),
            "held_count": sum(1 for i in items if i.held),
            "can_edit": can_manage and plan.state == TrainingPlan.State.DRAFT,
            "item_form": item_form or PlanItemForm(),
            "actions": [(a, services.PLAN_ACTION_LABELS[a]) for a in actions],
        }

    def get(self, request, pk):
        plan = selectors.training_plan_get(user=request.user, pk=pk)
        return render(request, "training/plan_detail.html", self.context(request, plan))


class PlanItemAddView(PlanDetailView):
    permission = "training.manage"

    def post(self, request, pk):
        plan = selectors.training_plan_get(user=request.user, pk=pk, permission=self.permission)
        form = PlanItemForm(request.POST)
        if form.is_valid():
            try:
                services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已添加培训事项。"))
                return redirect("training:plan_detail", pk=plan.pk)
        return render(
            request, "training/plan_detail.html", self.context(request, plan, item_form=form), status=400
        )


class PlanItemRemoveView(RendaView):
    permission = "training.manage"

    def post(self, request, pk, item_pk):
        plan = selectors.training_plan_get(user=request.user, pk=pk, permission=self.permission)
        item = plan.items.filter(pk=item_pk).first()
        if item is None:
            raise Http404
        try:
            services.plan_item_remove(actor=request.user, item=item)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已删除培训事项。"))
        return redirect("training:plan_detail", pk=plan.pk)


class PlanTransitionView(RendaView):
    permission = "training.manage"

    def post(self, request, pk, action):
        plan = selectors.training_plan_get(user=request.user, pk=pk, permission=self.permission)
        if action not in services.PLAN_ACTION_LABELS:
            raise Http404
        try:
            services.training_plan_transition(actor=request.user, plan=plan, action=action)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("培训计划已%(a)s。") % {"a": services.PLAN_ACTION_LABELS[action]})
        return redirect("training:plan_detail", pk=plan.pk)


# ---------- sessions ----------


class SessionListView(RendaView):
    permission = "training.view"

    def get(self, request):
        form = SessionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        sessions = selectors.training_session_list(
            user=request.user, **{k: v for k, v in filters.items() if v}
        )
        page = Paginator(sessions, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request, "training/session_list.html", "training/_session_rows.html", {"form": form, "page": page}
        )


class SessionCreateView(RendaView):
    permission = "training.manage"

    def _form(self, request, data=None):
        initial = {}
        item_pk = request.GET.get("plan_item", "")
        if item_pk.isdigit():
            item = selectors.plan_item_choices(user=request.user).filter(pk=item_pk).first()
            if item is not None:
                initial = {
                    "plan_item": item,
                    "congress": item.plan.congress,
                    "title": item.topic,
                    "form": item.form,
                }
        return SessionForm(
            data,
            initial=initial,
            congresses=selectors.congress_choices(user=request.user),
            plan_items=selectors.plan_item_choices(user=request.user),
        )

    def get(self, request):
        return render(request, "training/session_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                session = services.training_session_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("培训班次已创建，请添加参训人员。"))
                return redirect("training:session_detail", pk=session.pk)
        return render(request, "training/session_form.html", {"form": form}, status=400)


class SessionDetailView(RendaView):
    permission = "training.view"

    def context(self, request, session, attendees_form=None, grid_errors=None, posted=None):
        grid = selectors.attendance_grid(user=request.user, session=session)
        grid_errors, posted = grid_errors or {}, posted or {}
        for row in grid["rows"]:
            row["inputs"] = []
            for day, hours in row["cells"]:
                name = f"a{row['attendee'].pk}_d{day.pk}"
                value = posted.get(name, "" if hours is None else f"{hours.normalize():f}")
                row["inputs"].append(
                    {"day": day, "hours": hours, "name": name, "value": value, "error": grid_errors.get(name)}
                )
        can_manage = has_permission(request.user, "training.manage") and (
            scope_queryset(TrainingSession.objects.filter(pk=session.pk), request.user).exists()
        )
        is_open = session.state == TrainingSession.State.OPEN
        context = {
            "session": session,
            "grid": grid,
            "can_manage": can_manage,
            "can_edit": can_manage and is_open,
            "can_close": can_manage and is_open and session.ends_on <= timezone.localdate(),
            "can_reopen": can_manage and not is_open,
        }
        if can_manage and is_open:
            context["attendees_form"] = attendees_form or AttendeesForm(user=request.user, session=session)
        return context

    def get(self, request, pk):
        session = selectors.training_session_get(user=request.user, pk=pk)
        return render(request, "training/session_detail.html", self.context(request, session))


class SessionAttendeesView(SessionDetailView):
    permission = "training.manage"

    def post(self, request, pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        form = AttendeesForm(request.POST, user=request.user, session=session)
        if form.is_valid():
            try:
                added = services.attendees_add(
                    actor=request.user,
                    session=session,
                    deputies=list(form.cleaned_data["deputies"]),
                    users=list(form.cleaned_data["staff"]),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已添加%(n)s名参训人员。") % {"n": added})
                return redirect("training:session_detail", pk=session.pk)
        return render(
            request,
            "training/session_detail.html",
            self.context(request, session, attendees_form=form),
            status=400,
        )


class AttendeeRemoveView(RendaView):
    permission = "training.manage"

    def post(self, request, pk, attendee_pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        attendee = session.attendees.filter(pk=attendee_pk).first()
        if attendee is None:
            raise Http404
        try:
            services.attendee_remove(actor=request.user, attendee=attendee)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已移除%(n)s。") % {"n": attendee.name})
        return redirect("training:session_detail", pk=session.pk)


class AttendanceView(SessionDetailView):
    """The attendance grid: one cell per attendee per day, the hours they were there (blank = absent)."""

    permission = "training.manage"

    def post(self, request, pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        marks, posted = {}, {}
        for key, value in request.POST.items():
            if key.startswith("a") and "_d" in key:
                attendee, _sep, day = key[1:].partition("_d")
                if attendee.isdigit() and day.isdigit():
                    marks[(int(attendee), int(day))] = value
                    posted[key] = value
        try:
            result = services.attendance_record(actor=request.user, session=session, marks=marks)
        except DomainError as exc:
            context = self.context(request, session, grid_errors={exc.field: exc.message}, posted=posted)
            context["grid_error"] = exc.message
            return render(request, "training/session_detail.html", context, status=400)
        messages.success(
            request,
            _("考勤已保存：%(n)s人次，共%(h)s学时。")
            % {"n": result["present"], "h": services.hours_text(result["hours"])},
        )
        return redirect("training:session_detail", pk=session.pk)


class DayUpdateView(RendaView):
    permission = "training.manage"

    def post(self, request, pk, day_pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        day = TrainingDay.objects.filter(session=session, pk=day_pk).first()
        if day is None:
            raise Http404
        form = DayForm(request.POST)
        if not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                services.training_day_update(actor=request.user, day=day, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已调整培训日学时。"))
        return redirect("training:session_detail", pk=session.pk)


class SessionCloseView(RendaView):
    permission = "training.manage"

    def post(self, request, pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        try:
            services.training_session_close(actor=request.user, session=session)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("培训已结班，参训代表的学时已记入履职记录。"))
        return redirect("training:session_detail", pk=session.pk)


class SessionReopenView(RendaView):
    """更正考勤: reopen a closed session; its training duty records are withdrawn with the reason."""

    permission = "training.manage"

    def post(self, request, pk):
        session = selectors.training_session_get(user=request.user, pk=pk, permission=self.permission)
        try:
            services.training_session_reopen(
                actor=request.user, session=session, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新打开考勤，原履职记录已撤销；更正后请再次结班。"))
        return redirect("training:session_detail", pk=session.pk)


class CertificateView(RendaView):
    """One attendee's certificate as a PDF: staff of the attendee's region, or the deputy themself."""

    permission = "training.certificate"

    def get(self, request, pk):
        attendee = selectors.attendee_get(user=request.user, pk=pk)
        try:
            pdf = certificates.certificate_pdf(attendee)
        except DomainError as exc:
            messages.error(request, exc.message)
            if has_permission(request.user, "training.view"):
                return redirect("training:session_detail", pk=attendee.session_id)
            return redirect("training:mine")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{attendee.pk}.pdf"'
        return response


# ---------- hours ----------


class HoursView(RendaView):
    """学时统计: hours per deputy in a year, most first."""

    permission = "training.view"

    def get(self, request):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        q = request.GET.get("q", "").strip()[:50]
        rows = selectors.training_hours_by_deputy(user=request.user, year=year, q=q)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render(request, "training/hours.html", {"page": page, "year": year, "q": q})


class MineView(RendaView):
    """The deputy's own training: hours this year and this term, sessions, certificates, this year's plan."""

    permission = "training.mine"

    def get(self, request):
        deputy = selectors.deputy_of(request.user)
        year = timezone.localdate().year
        context = {
            "deputy": deputy,
            "year": year,
            "hours": selectors.deputy_training_hours(deputy=deputy, year=year),
            "sessions": selectors.deputy_training_sessions(deputy=deputy),
            "plan_items": selectors.published_plan_items_for_deputy(deputy=deputy, year=year),
        }
        return render(request, "training/mine.html", context)
