"""Onboarding pages: bulk account creation and its one-time password sheets (system admin), the
account ↔ deputy / station links on an account's page, and the account link on a deputy's page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renda.accounts.selectors import user_get
from renda.core.access import Role, access_object
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.views import RendaView
from renda.deputies.models import Deputy, Mandate
from renda.network.models import StationKeeper

from . import selectors, services, tasks
from .forms import AccountLinkForm, BulkDeputiesForm, DeputyLinkForm, StationLinkForm
from .models import CredentialSheet


class OnboardingView(RendaView):
    permission = "accounts.manage"
    template_name = "onboarding/index.html"

    def _context(self, request, form):
        return {
            "form": form,
            "units_without_account": selectors.bulk_units().count(),
            "sheets": CredentialSheet.objects.filter(owner=request.user).only(
                "id", "title", "accounts", "created_at"
            ),
        }

    def get(self, request):
        return render(request, self.template_name, self._context(request, BulkDeputiesForm()))

    def post(self, request):
        kind = request.POST.get("kind")
        form = BulkDeputiesForm(request.POST if kind == "deputies" else None)
        try:
            if kind == "deputies":
                if not form.is_valid():
                    return render(request, self.template_name, self._context(request, form), status=400)
                data = form.cleaned_data
                params = {
                    "congress": data["congress"].pk,
                    "township": data["township"].pk if data["township"] else None,
                    "delegation": data["delegation"].strip(),
                }
                if not selectors.bulk_deputies(
                    congress_id=params["congress"],
                    township_id=params["township"],
                    delegation=params["delegation"],
                ).exists():
                    raise DomainError(_("所选范围内的在任代表都已有账号，无需开通"), field="congress")
            else:
                params = {}
                if not selectors.bulk_units().exists():
                    raise DomainError(_("所有承办单位都已有账号"))
            job = tasks.accounts_bulk_start(actor=request.user, kind=kind, params=params)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(request, self.template_name, self._context(request, form), status=400)
        return redirect("jobs:detail", job_id=job.pk)


class CredentialSheetDownloadView(RendaView):
    """POST only, so that no link preview or prefetch can use up the single download."""

    permission = "accounts.manage"

    def post(self, request, sheet_id):
        filename, content = services.credential_sheet_take(actor=request.user, sheet_id=sheet_id)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class AccountLinksView(RendaView):
    """On an account's page (system admin): its deputy, or the stations it keeps."""

    permission = "accounts.manage"

    def _account(self, request, pk):
        account = user_get(actor=request.user, pk=pk)
        if account is None or account.role not in (Role.DEPUTY, Role.STATION_KEEPER):
            raise Http404
        return account

    def _render(self, request, account, form=None, status=200):
        links = selectors.account_links(account=account)
        if form is None:
            form = DeputyLinkForm() if account.role == Role.DEPUTY else StationLinkForm()
        context = {"account": account, "form": form, **links}
        template = "onboarding/_account_links.html" if request.htmx else "onboarding/account_links.html"
        return render(request, template, context, status=status)

    def get(self, request, pk):
        return self._render(request, self._account(request, pk))

    def post(self, request, pk):
        account = self._account(request, pk)
        action = request.POST.get("action")
        form = None
        try:
            if action == "link_deputy" and account.role == Role.DEPUTY:
                form = DeputyLinkForm(request.POST)
                if not form.is_valid():
                    return self._render(request, account, form, status=400)
                deputy = services.account_deputy_link(
                    actor=request.user, account=account, deputy=form.cleaned_data["deputy"]
                )
                messages.success(request, _("已关联代表%(name)s。") % {"name": deputy.name})
            elif action == "unlink_deputy":
                deputy = Deputy.objects.filter(user=account).first()
                if deputy is None:
                    raise DomainError(_("该账号尚未关联代表"))
                services.account_deputy_unlink(actor=request.user, deputy=deputy)
                messages.success(request, _("已解除与代表%(name)s的关联。") % {"name": deputy.name})
            elif action == "link_station" and account.role == Role.STATION_KEEPER:
                form = StationLinkForm(request.POST)
                if not form.is_valid():
                    return self._render(request, account, form, status=400)
                station = form.cleaned_data["station"]
                services.account_station_link(actor=request.user, account=account, station=station)
                messages.success(request, _("已指定为%(s)s的管理员。") % {"s": station.name})
            elif action == "unlink_station":
                keeper = StationKeeper.objects.filter(
                    user=account, pk=request.POST.get("keeper") or 0
                ).first()
                if keeper is None:
                    raise Http404
                services.account_station_unlink(actor=request.user, keeper=keeper)
                messages.success(request, _("已取消该联络站的管理。"))
            else:
                raise Http404
        except DomainError as exc:
            form = form or (DeputyLinkForm() if account.role == Role.DEPUTY else StationLinkForm())
            add_domain_error(form, exc)
            return self._render(request, account, form, status=400)
        if request.htmx:
            return self._render(request, account)
        return redirect(reverse("accounts:user_edit", args=[account.pk]))


class DeputyAccountView(RendaView):
    """On a deputy's page (staff who may change deputies): the deputy's account, link or unlink."""

    permission = "deputies.change"

    def _deputy(self, request, pk):
        return access_object(
            Deputy.objects.select_related("user"), request.user, permission=self.permission, pk=pk
        )

    def _render(self, request, deputy, form=None, status=200):
        serving = deputy.mandates.filter(status=Mandate.Status.SERVING).exists()
        context = {"deputy": deputy, "form": form or AccountLinkForm(), "serving": serving}
        template = "onboarding/_deputy_account.html" if request.htmx else "onboarding/deputy_account.html"
        return render(request, template, context, status=status)

    def get(self, request, pk):
        return self._render(request, self._deputy(request, pk))

    def post(self, request, pk):
        deputy = self._deputy(request, pk)
        form = AccountLinkForm(request.POST if request.POST.get("action") == "link" else None)
        try:
            if request.POST.get("action") == "link":
                if not form.is_valid():
                    return self._render(request, deputy, form, status=400)
                services.account_deputy_link(
                    actor=request.user, account=form.cleaned_data["account"], deputy=deputy
                )
                messages.success(request, _("已关联登录账号。"))
            elif request.POST.get("action") == "unlink":
                services.account_deputy_unlink(actor=request.user, deputy=deputy)
                messages.success(request, _("已解除登录账号关联。"))
            else:
                raise Http404
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, deputy, form, status=400)
        deputy.refresh_from_db()
        if request.htmx:
            return self._render(request, deputy)
        return redirect("deputies:detail", pk=deputy.pk)
