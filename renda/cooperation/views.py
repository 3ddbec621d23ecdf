"""Department cooperation pages: the department's own page (/cooperation/) and county staff's list of
proposals to confirm (/cooperation/proposals/)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renda.core.access import has_permission
from renda.core.errors import DomainError
from renda.core.forms import add_domain_error
from renda.core.paging import Paginator
from renda.core.views import RendaView
from renda.deputies.models import Deputy

from . import selectors, services
from .forms import DecisionForm, ProposalForm
from .models import ActivityProposal


class DepartmentView(RendaView):
    """A handling unit: the deputies it appointed (行风政风监督员…), its proposals, a new proposal."""

    permission = "cooperation.view"

    def context(self, request, form=None):
        context = {
            "roles": list(selectors.appointed_roles(user=request.user)),
            "proposals": list(selectors.proposal_list(user=request.user)[:50]),
            "organization": request.user.organization,
        }
        if has_permission(request.user, "cooperation.propose") and request.user.organization_id:
            context["form"] = form or ProposalForm(
                deputies=selectors.appointed_deputies(organization=request.user.organization)
            )
        return context

    def get(self, request):
        return render(request, "cooperation/department.html", self.context(request))


class ProposeView(DepartmentView):
    permission = "cooperation.propose"

    def post(self, request):
        organization = request.user.organization
        deputies = (
            selectors.appointed_deputies(organization=organization) if organization else Deputy.objects.none()
        )
        form = ProposalForm(request.POST, deputies=deputies)
        if form.is_valid():
            try:
                services.proposal_create(actor=request.user, organization=organization, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("监督活动已提出，待县人大常委会确认。"))
                return redirect("cooperation:department")
        return render(request, "cooperation/department.html", self.context(request, form=form), status=400)


class ProposalListView(RendaView):
    permission = "cooperation.confirm"

    def get(self, request):
        state = request.GET.get("state", "")
        if state not in ActivityProposal.State.values:
            state = ""
        page = Paginator(selectors.proposal_list(user=request.user, state=state), 30).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "cooperation/proposal_list.html",
            {"page": page, "state": state, "states": ActivityProposal.State.choices},
        )


class ProposalDetailView(RendaView):
    permission = "cooperation.confirm"

    def get(self, request, pk, form=None):
        proposal = selectors.proposal_get(user=request.user, pk=pk, permission=self.permission)
        return render(
            request,
            "cooperation/proposal_detail.html",
            {"proposal": proposal, "form": form or DecisionForm()},
        )

    def post(self, request, pk):
        proposal = selectors.proposal_get(user=request.user, pk=pk, permission=self.permission)
        form = DecisionForm(request.POST)
        confirm = request.POST.get("decision") == "confirm"
        if form.is_valid():
            try:
                services.proposal_decide(
                    actor=request.user, proposal=proposal, confirm=confirm, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已确认该监督活动。") if confirm else _("已答复不予采纳。"))
                return redirect("cooperation:proposal_detail", pk=proposal.pk)
        return render(
            request, "cooperation/proposal_detail.html", {"proposal": proposal, "form": form}, status=400
        )
