"""Opinion pages: the public QR form and progress lookup, the staff list, entry and handling."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renda.core.access import PUBLIC, Role, has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.middleware import client_ip
from renda.core.paging import Paginator
from renda.core.views import RendaView
from renda.deputies.selectors import deputy_for_user

from . import selectors, services, workflow
from .forms import (
    DepartmentAnswerForm,
    OpinionEntryForm,
    OpinionFilterForm,
    PublicOpinionForm,
    PublicRateForm,
    RateForm,
    ReplyForm,
    TrackForm,
    TransitionForm,
)
from .models import Opinion

# The confirmation page's link: the saved opinion's id, signed, so that the resident's tracking code
# never depends on a write after the opinion is committed (a session write could fail and lose it).
CONFIRMATION_SALT = "renda.opinions.submitted"


def confirmation_url(opinion: Opinion) -> str:
    token = signing.dumps(opinion.pk, salt=CONFIRMATION_SALT, compress=True)
    return f"{reverse('opinions:submitted')}?{urlencode({'t': token})}"


# Which inputs each move shows, besides the hidden target state.
TARGET_FIELDS = {
    Opinion.State.ANSWERED: ["reply"],
    Opinion.State.REFERRED: ["department", "note"],
    Opinion.State.SUGGESTION: ["deputy", "note"],
    Opinion.State.MERGED: ["merged_into", "note"],
    Opinion.State.CLOSED: ["note"],
    Opinion.State.RECEIVED: ["note"],
}


def _attach(form, exc: DomainError) -> None:
    add_domain_error(form, exc)


# ---------- public pages (no account) ----------


class PublicOpinionFormView(RendaView):
    """/o/<code>/: the page a station poster's QR code opens."""

    permission = PUBLIC

    def _station(self, code):
        station = selectors.station_for_code(code=code)
        if station is None:
            raise Http404
        return station

    def get(self, request, code):
        station = self._station(code)
        return render(request, "opinions/public_form.html", {"station": station, "form": PublicOpinionForm()})

    def post(self, request, code):
        station = self._station(code)
        form = PublicOpinionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                opinion = services.opinion_submit_public(
                    station=station, client_ip=client_ip(request), **form.cleaned_data
                )
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                return redirect(confirmation_url(opinion))
        return render(request, "opinions/public_form.html", {"station": station, "form": form}, status=status)


class PublicSubmittedView(RendaView):
    """After submitting: the tracking code, read from the saved opinion through the signed link, which
    works for RENDA_OPINION_CONFIRMATION_SECONDS (a reload shows it again; an old or forged link goes to
    the tracking page)."""

    permission = PUBLIC

    def get(self, request):
        try:
            pk = signing.loads(
                request.GET.get("t", ""),
                salt=CONFIRMATION_SALT,
                max_age=settings.RENDA_OPINION_CONFIRMATION_SECONDS,
            )
        except signing.BadSignature:
            return redirect("opinions:track")
        opinion = selectors.opinion_confirmation(pk=pk)
        if opinion is None:
            return redirect("opinions:track")
        import segno
        from django.urls import reverse
        from django.utils.http import urlencode

        track_url = request.build_absolute_uri(
            f"{reverse('opinions:track')}?{urlencode({'code': opinion.tracking_code})}"
        )
        return render(
            request,
            "opinions/public_submitted.html",
            {
                "opinion": opinion,
                "track_url": track_url,
                # Scanned later (or by a family member) it opens the progress page with the code in.
                "track_qr": segno.make(track_url, error="m").svg_inline(scale=4),
            },
        )


class TrackView(RendaView):
    """The constituent looks up progress with the tracking code, and may say whether they are satisfied."""

    permission = PUBLIC

    def get(self, request):
        # The confirmation page's link and QR carry ?code=: a code in the link is looked up at once,
        # under the same rate limit and with the same "not found" answer as the form's POST.
        code = "".join(request.GET.get("code", "").split())[:20]
        if not code:
            return render(request, "opinions/track.html", {"form": TrackForm()})
        return self._lookup(request, TrackForm({"code": code}))

    def post(self, request):
        # The rating form says it is one (`rate`): with no option chosen the radios send nothing.
        if "rate" in request.POST or "satisfaction" in request.POST:
            return self._rate(request)
        return self._lookup(request, TrackForm(request.POST))

    def _lookup(self, request, form):
        context = {"form": form}
        status = 200
        if form.is_valid():
            if not services.opinion_track_allowed(client_ip=client_ip(request)):
                form.add_error(None, _("查询过于频繁，请稍后再试。"))
                status = 429
            else:
                opinion = selectors.opinion_track(code=form.cleaned_data["code"])
                if opinion is None:
                    form.add_error("code", _("没有找到这个查询码，请核对后重新输入。"))
                    status = 404
                else:
                    context.update(self._result(opinion))
        return render(request, "opinions/track.html", context, status=status)

    def _result(self, opinion, rate_form=None):
        shown = (
            opinion.merged_into if opinion.state == Opinion.State.MERGED and opinion.merged_into else opinion
        )
        events = selectors.public_events(opinion=opinion)
        return {
            "opinion": opinion,
            "shown": shown,
            "events": events,
            # 不满意 sent it back to handling: the page says so, with the day (issue 11 follow-up).
            "reopened_at": selectors.opinion_reopened_at(
                opinion=shown, events=events if shown is opinion else None
            ),
            "rate_form": rate_form
            or (
                PublicRateForm(initial={"code": opinion.tracking_code})
                if opinion.reply and not opinion.satisfaction and opinion.state != Opinion.State.MERGED
                else None
            ),
        }

    def _rate(self, request):
        rate_form = PublicRateForm(request.POST)
        code = request.POST.get("code", "")
        if not services.opinion_track_allowed(client_ip=client_ip(request)):
            form = TrackForm(initial={"code": code})
            form.add_error(None, _("查询过于频繁，请稍后再试。"))
            return render(request, "opinions/track.html", {"form": form}, status=429)
        opinion = selectors.opinion_track(code=code)
        form = TrackForm(initial={"code": code})
        if opinion is None:
            raise Http404
        status = 200
        if rate_form.is_valid():
            try:
                services.opinion_rate(
                    opinion=opinion,
                    satisfaction=rate_form.cleaned_data["satisfaction"],
                    note=rate_form.cleaned_data["note"],
                )
            except DomainError as exc:
                _attach(rate_form, exc)
                status = exc.status
            else:
                opinion.refresh_from_db()
                messages.success(request, _("感谢您的评价！"))
                return render(request, "opinions/track.html", {"form": form, **self._result(opinion)})
        else:
            status = 400
        return render(
            request, "opinions/track.html", {"form": form, **self._result(opinion, rate_form)}, status=status
        )


# ---------- staff, deputies ----------


class OpinionListView(RendaView):
    permission = "opinions.view"

    def get(self, request):
        form = OpinionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        opinions = selectors.opinion_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = Paginator(opinions, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request,
            "opinions/opinion_list.html",
            "opinions/_opinion_rows.html",
            {"form": form, "page": page, "can_add": has_permission(request.user, "opinions.add")},
        )


class OpinionCreateView(RendaView):
    """Station staff enter a walk-in or phone opinion; a deputy enters what they heard."""

    permission = "opinions.add"

    def _form(self, request, data=None):
        for_deputy = request.user.role == Role.DEPUTY
        return OpinionEntryForm(
            data,
            for_deputy=for_deputy,
            stations=None if for_deputy else selectors.station_choices(user=request.user),
        )

    def _render(self, request, form, status=200):
        deputy = deputy_for_user(user=request.user) if request.user.role == Role.DEPUTY else None
        return render(
            request,
            "opinions/opinion_form.html",
            {"form": form, "for_deputy": request.user.role == Role.DEPUTY, "deputy": deputy},
            status=status,
        )

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.user.role == Role.DEPUTY:
                    opinion = services.opinion_create_by_deputy(actor=request.user, **data)
                else:
                    opinion = services.opinion_create(actor=request.user, **data)
            except DomainError as exc:
                _attach(form, exc)
                return self._render(request, form, status=exc.status)
            if request.user.role == Role.DEPUTY:
                messages.success(request, _("已记录这条群众意见，并计入您的履职记录（联系选民）。"))
            else:
                messages.success(
                    request,
                    _("已受理。请将查询码 %(c)s 告知反映人，凭码可查询办理进展。")
                    % {"c": opinion.tracking_code},
                )
            return redirect("opinions:detail", pk=opinion.pk)
        return self._render(request, form, status=400)


# Revealing a resident's phone: office staff, and a station keeper for the opinions of their own
# station (the opinion's scoping narrows a keeper to their station), every reveal audited.
REVEAL = "opinions.reveal_phone"


_is_department = selectors.opinion_is_department


def _detail_context(request, opinion, *, bound: dict | None = None) -> dict:
    """Everything the detail page shows; `bound` carries a submitted form back with its errors."""
    user = request.user
    bound = bound or {}
    handles = has_permission(user, "opinions.handle")
    targets = workflow.allowed_targets(opinion.state, user.role) if handles else []
    transition_forms = []
    if targets:
        kwargs = {
            "departments": selectors.department_choices(opinion=opinion),
            "merge_candidates": selectors.merge_candidates(user=user, opinion=opinion),
            "deputies": selectors.suggestion_deputy_choices(user=user, opinion=opinion),
        }
        for target in targets:
            form = bound.get(target) or TransitionForm(prefix=target, **kwargs)
            fields = list(TARGET_FIELDS[target])
            if target == Opinion.State.SUGGESTION and user.role == Role.DEPUTY:
                fields.remove("deputy")
            transition_forms.append(
                {
                    "target": target,
                    "verb": workflow.VERBS[target],
                    "form": form,
                    "fields": [form[f] for f in fields],
                }
            )
    station_role = handles and user.role in workflow.STATION
    events = list(selectors.opinion_events(opinion=opinion).select_related("actor"))
    return {
        "opinion": opinion,
        "events": events,
        "reopened_at": selectors.opinion_reopened_at(opinion=opinion, events=events),
        "transition_forms": transition_forms,
        "open_target": bound.get("_target", ""),
        "reply_form": (bound.get("reply") or ReplyForm(initial={"reply": opinion.reply}))
        if station_role and opinion.state in workflow.REPLY_STATES
        else None,
        "rate_form": (bound.get("rate") or RateForm(initial={"satisfaction": opinion.satisfaction or None}))
        if station_role and opinion.reply and opinion.state != Opinion.State.MERGED
        else None,
        "can_reveal": has_permission(user, REVEAL) and bool(opinion.constituent_phone),
        # The resident's key to the tracking page: for those who receive residents (staff, keepers),
        # not for the department it was referred to, a deputy or a leader.
        "show_tracking_code": user.role in workflow.STATION,
        "department_form": (bound.get("department") or DepartmentAnswerForm())
        if _is_department(user, opinion)
        else None,
        # The suggestions grown from this opinion, with their state: the opinion follows their progress.
        "suggestions": opinion.suggestions.all(),
        "duplicates": selectors.opinion_duplicates(user=user, opinion=opinion),
    }


class OpinionDetailView(RendaView):
    permission = "opinions.view"

    def get(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk)
        return render(request, "opinions/opinion_detail.html", _detail_context(request, opinion))


class OpinionTransitionView(RendaView):
    permission = "opinions.handle"

    def post(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk, permission="opinions.handle")
        target = request.POST.get("target", "")
        if target not in TARGET_FIELDS:
            raise Http404
        form = TransitionForm(
            request.POST,
            prefix=target,
            departments=selectors.department_choices(opinion=opinion),
            merge_candidates=selectors.merge_candidates(user=request.user, opinion=opinion),
            deputies=selectors.suggestion_deputy_choices(user=request.user, opinion=opinion),
        )
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.opinion_transition(
                    opinion=opinion,
                    to_state=target,
                    actor=request.user,
                    note=data["note"],
                    reply=data["reply"],
                    department=data["department"],
                    merged_into=data["merged_into"],
                    deputy=data["deputy"],
                )
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已%(v)s。") % {"v": workflow.VERBS[target]})
                return redirect("opinions:detail", pk=opinion.pk)
        context = _detail_context(request, opinion, bound={target: form, "_target": target})
        return render(request, "opinions/opinion_detail.html", context, status=status)


class OpinionReplyView(RendaView):
    permission = "opinions.handle"

    def post(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk, permission="opinions.handle")
        form = ReplyForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.opinion_reply(opinion=opinion, reply=form.cleaned_data["reply"], actor=request.user)
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已答复群众。"))
                return redirect("opinions:detail", pk=opinion.pk)
        context = _detail_context(request, opinion, bound={"reply": form})
        return render(request, "opinions/opinion_detail.html", context, status=status)


class OpinionRateView(RendaView):
    permission = "opinions.handle"

    def post(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk, permission="opinions.handle")
        form = RateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.opinion_rate(
                    opinion=opinion,
                    satisfaction=form.cleaned_data["satisfaction"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as exc:
                _attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已记录满意度。"))
                return redirect("opinions:detail", pk=opinion.pk)
        context = _detail_context(request, opinion, bound={"rate": form})
        return render(request, "opinions/opinion_detail.html", context, status=status)


class OpinionDepartmentView(RendaView):
    """The department an opinion was referred to answers it or hands it back (with the reason)."""

    permission = "opinions.view"

    def post(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk)
        if not _is_department(request.user, opinion):
            raise Http404
        form = DepartmentAnswerForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "reply":
                    services.opinion_department_reply(opinion=opinion, reply=data["text"], actor=request.user)
                else:
                    services.opinion_department_return(
                        opinion=opinion, reason=data["text"], actor=request.user
                    )
            except DomainError as exc:
                form.add_error("text", exc.message)
                status = exc.status
            else:
                if data["decision"] == "reply":
                    messages.success(request, _("已答复，群众可凭查询码看到答复。"))
                    return redirect("opinions:detail", pk=opinion.pk)
                messages.success(request, _("已退回，由人大工作人员重新办理。"))
                return redirect("opinions:list")
        context = _detail_context(request, opinion, bound={"department": form})
        return render(request, "opinions/opinion_detail.html", context, status=status)


class OpinionRevealView(RendaView):
    """The constituent's full phone number, to call them back (permission required, audited)."""

    permission = REVEAL

    def post(self, request, pk):
        opinion = selectors.opinion_get(user=request.user, pk=pk, permission=REVEAL)
        value = services.opinion_reveal(actor=request.user, opinion=opinion)
        if getattr(request, "htmx", False):
            return render(request, "opinions/_revealed.html", {"value": value})
        # Without htmx the page is rendered (never a redirect: the number must not ride in a cookie).
        context = {**_detail_context(request, opinion), "revealed_phone": value}
        return render(request, "opinions/opinion_detail.html", context)
