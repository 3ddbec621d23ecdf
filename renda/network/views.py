"""Network pages for staff (/network/): stations, their inventory and funds, posters, reception days."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.access import has_permission
from renda.core.concurrency import STAMP_FIELD, edit_stamp, refreshed_post
from renda.core.errors import ConcurrentUpdate, DomainError
from renda.core.forms import add_domain_error
from renda.core.htmx import render_page_or_partial
from renda.core.paging import Paginator
from renda.core.views import RendaView
from renda.deputies.models import Deputy

from . import posters, selectors, services
from .forms import (
    DemonstrationForm,
    FacilityForm,
    FundingForm,
    KeeperForm,
    ReceptionCancelForm,
    ReceptionDayFilterForm,
    ReceptionDayForm,
    ReceptionRecordForm,
    StationedDeputyForm,
    StationFilterForm,
    StationForm,
)
from .models import Demonstration, Facility, Funding, ReceptionDay, StationedDeputy, StationKeeper
from .workflow import allowed_transitions


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("提交的内容有误")


# ---------- stations ----------


class StationListView(RendaView):
    permission = "network.view"

    def get(self, request):
        form = StationFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        stations = selectors.station_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = Paginator(stations, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request, "network/station_list.html", "network/_station_rows.html", {"form": form, "page": page}
        )


class StationDetailView(RendaView):
    permission = "network.view"

    def get(self, request, pk):
        station = selectors.station_get(user=request.user, pk=pk)
        context = {
            "station": station,
            **selectors.station_summary(user=request.user, station=station),
            "reception_days": list(selectors.reception_day_list(user=request.user, station=station)[:10]),
        }
        if has_permission(request.user, "network.change"):
            context.update(
                deputy_form=StationedDeputyForm(
                    deputies=selectors.station_deputy_choices(user=request.user, station=station),
                    station=station,
                ),
                facility_form=FacilityForm(),
                funding_form=FundingForm(),
                demonstration_form=DemonstrationForm(initial={"year": timezone.localdate().year}),
                keeper_form=KeeperForm(station=station),
            )
        return render(request, "network/station_detail.html", context)


_REGION = {"region": "region_code"}


class StationEditView(RendaView):
    """Create (no pk) or edit a station. Another township's station answers 404."""

    permission = "network.change"
    template_name = "network/station_form.html"

    def _station(self, request, pk):
        if pk is None:
            return None
        return selectors.station_get(user=request.user, pk=pk, permission="network.change")

    @staticmethod
    def _initial(station) -> dict:
        initial = {f: getattr(station, f) for f in services.STATION_FIELDS if f != "region"}
        initial["region_code"] = station.region.code
        return initial

    def _page(self, request, form, station, status=200, stamp=None):
        if station is not None and not stamp:
            stamp = edit_stamp(station, services.STATION_FIELDS)
        context = {"form": form, "station": station, "edit_stamp": stamp}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        station = self._station(request, pk)
        initial = {"is_active": True} if station is None else self._initial(station)
        form = StationForm(initial=initial, user=request.user, exclude=station)
        return self._page(request, form, station)

    def post(self, request, pk=None):
        station = self._station(request, pk)
        form = StationForm(request.POST, user=request.user, exclude=station)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["region"] = data.pop("region_code")
            try:
                if station is None:
                    station = services.station_create(actor=request.user, **data)
                else:
                    station = services.station_update(
                        actor=request.user,
                        station=station,
                        data=data,
                        stamp=request.POST.get(STAMP_FIELD, ""),
                    )
            except ConcurrentUpdate as exc:
                station = self._station(request, pk)
                refresh = (exc.detail or {}).get("refresh", [])
                fresh = refreshed_post(
                    request.POST, fresh_initial=self._initial(station), fields=refresh, names=_REGION
                )
                form = StationForm(fresh, user=request.user, exclude=station)
                form.is_valid()
                add_domain_error(form, exc)
                return self._page(request, form, station, status=409)
            except DomainError as exc:
                if exc.field == "region":
                    exc.field = "region_code"
                add_domain_error(form, exc)
            else:
                messages.success(request, _("站点“%(n)s”已保存。") % {"n": station.name})
                return redirect("network:detail", pk=station.pk)
        return self._page(request, form, station, status=400, stamp=request.POST.get(STAMP_FIELD))


def _add_stationed(request, station, data):
    services.stationed_deputy_add(
        actor=request.user, station=station, deputy=data["deputy"], term=data["term"]
    )


def _add_facility(request, station, data):
    services.facility_add(actor=request.user, station=station, **data)


def _add_funding(request, station, data):
    services.funding_add(actor=request.user, station=station, **data)


def _set_demonstration(request, station, data):
    services.demonstration_set(actor=request.user, station=station, **data)


def _add_keeper(request, station, data):
    services.station_keeper_add(actor=request.user, station=station, user=data["user"])


# part -> (form for the posted data, the service call, the message on success)
STATION_PARTS = {
    "stationed": (
        lambda request, station: StationedDeputyForm(
            request.POST, deputies=selectors.station_deputy_choices(user=request.user, station=station)
        ),
        _add_stationed,
        gettext_lazy("已添加进站代表。"),
    ),
    "facility": (
        lambda request, station: FacilityForm(request.POST),
        _add_facility,
        gettext_lazy("已登记设施设备。"),
    ),
    "funding": (
        lambda request, station: FundingForm(request.POST),
        _add_funding,
        gettext_lazy("已登记资金投入。"),
    ),
    "demonstration": (
        lambda request, station: DemonstrationForm(request.POST),
        _set_demonstration,
        gettext_lazy("示范点信息已保存。"),
    ),
    "keeper": (
        lambda request, station: KeeperForm(request.POST, station=station),
        _add_keeper,
        gettext_lazy("已指定联络站管理员。"),
    ),
}


class StationPartAddView(RendaView):
    """Add one row (a stationed deputy, an item, a fund, a demonstration, a keeper) from the station page."""

    permission = "network.change"

    def post(self, request, pk, part):
        if part not in STATION_PARTS:
            raise Http404
        station = selectors.station_get(user=request.user, pk=pk, permission=self.permission)
        make_form, save, success = STATION_PARTS[part]
        form = make_form(request, station)
        if not form.is_valid():
            messages.error(request, _first_error(form))
        else:
            try:
                save(request, station, form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, str(success))
        return redirect("network:detail", pk=station.pk)


class StationPartRemoveView(RendaView):
    """Remove one row from a station (the station itself must be within the user's jurisdiction)."""

    permission = "network.change"
    parts = {
        "stationed": (StationedDeputy, services.stationed_deputy_remove, "stationed"),
        "facility": (Facility, services.facility_remove, "facility"),
        "funding": (Funding, services.funding_remove, "funding"),
        "demonstration": (Demonstration, services.demonstration_remove, "demonstration"),
        "keeper": (StationKeeper, services.station_keeper_remove, "keeper"),
    }

    def post(self, request, part, pk):
        if part not in self.parts:
            raise Http404
        model, remove, argument = self.parts[part]
        row = get_object_or_404(model, pk=pk)
        station = selectors.station_get(user=request.user, pk=row.station_id, permission=self.permission)
        remove(actor=request.user, **{argument: row})
        messages.success(request, _("已删除。"))
        return redirect("network:detail", pk=station.pk)


class StationPosterView(RendaView):
    """The printable poster: station name, QR code to its opinion form, the address under it."""

    permission = "network.view"

    def context(self, request, pk):
        station = selectors.station_get(user=request.user, pk=pk)
        url = posters.opinion_url(station, request=request)
        return {
            "station": station,
            "opinion_url": url,
            "qr_svg": posters.qr_svg(url, title=_("扫码反映意见")),
            "deputy_names": sorted({s.deputy.name for s in selectors.stationed_deputies(station=station)}),
        }

    def get(self, request, pk):
        return render(request, "network/station_poster.html", self.context(request, pk))


class StationPosterPdfView(StationPosterView):
    def get(self, request, pk):
        context = self.context(request, pk)
        html = render_to_string("network/station_poster.html", {**context, "for_pdf": True}, request=request)
        pdf = posters.poster_pdf(html, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="station-{context["station"].public_code}.pdf"'
        return response


# ---------- reception days ----------


class ReceptionDayListView(RendaView):
    permission = "network.view"

    def get(self, request):
        stations = selectors.station_choices(user=request.user)
        form = ReceptionDayFilterForm(request.GET or None, stations=stations)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        days = selectors.reception_day_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = Paginator(days, 30).get_page(request.GET.get("page"))
        return render_page_or_partial(
            request,
            "network/reception_day_list.html",
            "network/_reception_day_rows.html",
            {"form": form, "page": page},
        )


class ReceptionDayEditView(RendaView):
    """Schedule a reception day at a station (station_pk) or change a scheduled one (pk)."""

    permission = "network.reception"
    template_name = "network/reception_day_form.html"

    def _objects(self, request, station_pk, pk):
        if pk is not None:
            day = selectors.reception_day_get(user=request.user, pk=pk, permission=self.permission)
            return day.station, day
        return selectors.station_get(user=request.user, pk=station_pk, permission=self.permission), None

    def get(self, request, station_pk=None, pk=None):
        station, day = self._objects(request, station_pk, pk)
        deputies = selectors.station_deputy_choices(user=request.user, station=station)
        if day is not None:
            initial = {
                "held_on": day.held_on,
                "starts_at": day.starts_at,
                "ends_at": day.ends_at,
                "theme": day.theme,
                "deputies": [p.deputy_id for p in day.participants.all()],
            }
        else:
            # Nobody is ticked in advance: staff choose who is on duty (select all / none and a
            # name filter help with a long list).
            initial = {}
        form = ReceptionDayForm(initial=initial, deputies=deputies)
        return render(request, self.template_name, {"form": form, "station": station, "day": day})

    def post(self, request, station_pk=None, pk=None):
        station, day = self._objects(request, station_pk, pk)
        deputies = selectors.station_deputy_choices(user=request.user, station=station)
        form = ReceptionDayForm(request.POST, deputies=deputies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if day is None:
                    day = services.reception_day_schedule(actor=request.user, station=station, **data)
                else:
                    day = services.reception_day_update(actor=request.user, reception_day=day, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("接待日已安排。"))
                return redirect("network:reception_detail", pk=day.pk)
        return render(request, self.template_name, {"form": form, "station": station, "day": day}, status=400)


def _participant_deputies(day: ReceptionDay):
    return Deputy.objects.filter(pk__in=[p.deputy_id for p in day.participants.all()]).order_by("name", "id")


def _extra_deputies(day: ReceptionDay):
    """Deputies stationed here who were not on the schedule but may have come all the same."""
    stationed = selectors.stationed_deputies(station=day.station).values("deputy_id")
    return (
        Deputy.objects.filter(pk__in=stationed)
        .exclude(pk__in=day.participants.values("deputy_id"))
        .order_by("stroke_key", "id")
    )


class ReceptionDayDetailView(RendaView):
    permission = "network.view"
    template_name = "network/reception_day_detail.html"

    def context(self, request, day, record_form=None, cancel_form=None):
        can_act = has_permission(request.user, "network.reception")
        transitions = allowed_transitions(day.state) if can_act else {}
        held = day.state == ReceptionDay.State.HELD
        if record_form is None and can_act and (ReceptionDay.State.HELD in transitions or held):
            initial = {
                "attended": [p.deputy_id for p in day.participants.all() if p.attended in (None, True)],
                "constituents_received": day.constituents_received,
                "topics": day.topics,
                "summary": day.summary,
            }
            record_form = ReceptionRecordForm(
                initial=initial, participants=_participant_deputies(day), extra=_extra_deputies(day)
            )
        if cancel_form is None and ReceptionDay.State.CANCELLED in transitions:
            cancel_form = ReceptionCancelForm()
        return {
            "day": day,
            "record_form": record_form,
            "cancel_form": cancel_form,
            "can_edit": can_act and day.state == ReceptionDay.State.SCHEDULED,
            "is_future": day.held_on > timezone.localdate(),
        }

    def get(self, request, pk):
        day = selectors.reception_day_get(user=request.user, pk=pk)
        return render(request, self.template_name, self.context(request, day))


class ReceptionDayRecordView(ReceptionDayDetailView):
    """Record (or amend) what happened; each deputy who took part gets one duty record."""

    permission = "network.reception"

    def post(self, request, pk):
        day = selectors.reception_day_get(user=request.user, pk=pk, permission=self.permission)
        form = ReceptionRecordForm(
            request.POST, participants=_participant_deputies(day), extra=_extra_deputies(day)
        )
        if form.is_valid():
            try:
                services.reception_day_record(actor=request.user, reception_day=day, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("接待情况已登记，参加接待的代表已记入履职记录。"))
                return redirect("network:reception_detail", pk=day.pk)
        day = selectors.reception_day_get(user=request.user, pk=pk)
        return render(request, self.template_name, self.context(request, day, record_form=form), status=400)


class ReceptionDayCancelView(ReceptionDayDetailView):
    permission = "network.reception"

    def post(self, request, pk):
        day = selectors.reception_day_get(user=request.user, pk=pk, permission=self.permission)
        form = ReceptionCancelForm(request.POST)
        if form.is_valid():
            try:
                services.reception_day_cancel(
                    actor=request.user, reception_day=day, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("接待日已取消。"))
                return redirect("network:reception_detail", pk=day.pk)
        return render(request, self.template_name, self.context(request, day, cancel_form=form), status=400)
