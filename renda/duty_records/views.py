"""Duty-record pages for staff: the list and the review of deputies' own declarations."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renda.core.access import openable_pks
from renda.core.errors import DomainError
from renda.core.htmx import render_page_or_partial
from renda.core.paging import list_page, list_query
from renda.core.views import RendaView, safe_next

from .forms import DutyRecordFilterForm, ReviewForm
from .models import DutyRecord
from .selectors import duty_record_get, duty_record_list
from .services import duty_record_review


class DutyRecordListView(RendaView):
    permission = "duty_records.view"

    def get(self, request):
        form = DutyRecordFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        records = duty_record_list(user=request.user, **{k: v for k, v in filters.items() if v})
        page = list_page(request, records, size=30)
        openable = openable_pks(
            DutyRecord.deputy.field.related_model.objects.all(),  # the deputy model, from a lower floor
            request.user,
            permission="deputies.view",
            pks={r.deputy_id for r in page.object_list},
        )
        return render_page_or_partial(
            request,
            "duty_records/duty_record_list.html",
            "duty_records/_record_rows.html",
            {"form": form, "page": page, "openable_deputies": openable, "query": list_query(request)},
        )


class DutyRecordReviewView(RendaView):
    permission = "duty_records.review"

    def post(self, request, pk):
        record = duty_record_get(user=request.user, pk=pk, permission="duty_records.review")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                duty_record_review(
                    record=record,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已审核。"))
        else:
            messages.error(request, _("审核请求无效。"))
        return redirect(safe_next(request, default="/duty-records/"))
