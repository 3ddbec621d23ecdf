"""One dispatcher from a step's name and its cleaned data to the service, shared by pages and the API.

Form steps differ from table actions in three places: `return_decide` (同意/不同意退回),
`extension_decide` (同意/不同意延期) and `evaluate` (满意 closes, the first 不满意 re-handles): the
service picks the table action from the decision.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.errors import DomainError
from renda.organizations.models import Organization

from . import forms, services, workflow
from .models import Assignment, Extension, Suggestion

FORMS = {
    "submit": forms.StepForm,
    "withdraw": forms.StepForm,
    "accept": forms.StepForm,
    "return_for_revision": forms.StepForm,
    "reject": forms.StepForm,
    "convert": forms.StepForm,
    "merge": forms.MergeForm,
    "assign": forms.AssignForm,
    "unit_accept": forms.StepForm,
    "unit_return": forms.StepForm,
    "return_decide": forms.ReturnDecideForm,
    "contact": forms.ContactForm,
    "co_input": forms.CoInputForm,
    "extension_request": forms.ExtensionRequestForm,
    "extension_decide": forms.ExtensionDecideForm,
    "reply": forms.ReplyForm,
    "evaluate": forms.EvaluationForm,
    "close": forms.StepForm,
    "designate_key": forms.KeyForm,
    "supervise": forms.SupervisionForm,
    "publish": forms.PublishForm,
}

# The form step that offers each table action on the page.
FORM_FOR_ACTION = {
    "return_approve": "return_decide",
    "return_refuse": "return_decide",
    "extension_approve": "extension_decide",
    "extension_refuse": "extension_decide",
    "rehandle": "evaluate",
}

LABELS = {
    **workflow.ACTIONS,
    "return_decide": gettext_lazy("审批退回申请"),
    "extension_decide": gettext_lazy("审批延期申请"),
    "evaluate": gettext_lazy("评价办理结果"),
    "unit_return": gettext_lazy("申请退回（不属于本单位职责）"),
}

MESSAGES = {
    "submit": gettext_lazy("已提交，等待代表工作委员会审查。"),
    "accept": gettext_lazy("已立案并编号。"),
    "assign": gettext_lazy("已交办。"),
    "reply": gettext_lazy("已答复，等待代表评价。"),
    "evaluate": gettext_lazy("已评价，感谢您的意见。"),
}


def form_steps(suggestion: Suggestion, user) -> list[str]:
    """The form steps to show this user now, in table order, each once."""
    steps = []
    for action in workflow.allowed_actions(suggestion, user):
        step = FORM_FOR_ACTION.get(action, action)
        if step not in steps:
            steps.append(step)
    return steps


def table_action(step: str, data: dict) -> str:
    if step == "return_decide":
        return "return_approve" if data.get("approve") else "return_refuse"
    if step == "extension_decide":
        return "extension_approve" if data.get("approve") else "extension_refuse"
    return step


def _unit(value, field: str) -> Organization | None:
    if value in (None, ""):
        return None
    if isinstance(value, Organization):
        return value
    found = Organization.objects.filter(pk=value, kind=Organization.Kind.HANDLING_UNIT).first()
    if found is None:
        raise DomainError(_("请选择承办单位"), field=field)
    return found


def _units(values, field: str) -> list[Organization]:
    return [_unit(v, field) for v in (values or []) if v not in (None, "")]


def _merge_target(user, suggestion: Suggestion, number) -> Suggestion:
    from .selectors import scope_suggestions

    found = scope_suggestions(
        Suggestion.objects.filter(term=suggestion.term, session=suggestion.session, number=number), user
    ).first()
    if found is None:
        raise DomainError(_("没有找到本届本次会议的该编号建议"), field="into")
    return found


def perform(*, step: str, actor, suggestion: Suggestion, data: dict) -> str:
    """Run one step; return the success message. Raises DomainError/InvalidTransition/ConcurrentUpdate."""
    if step not in FORMS:
        raise Http404
    # The table first: a refused step is refused as such, before its data is looked at.
    workflow.check(suggestion, table_action(step, data), actor)
    version = data.get("version")
    note = (data.get("note") or "").strip()
    common = {"actor": actor, "suggestion": suggestion, "version": version}
    if step == "submit":
        services.suggestion_submit(**common)
    elif step == "withdraw":
        services.suggestion_withdraw(note=note, **common)
    elif step == "accept":
        services.suggestion_accept(note=note, **common)
    elif step == "return_for_revision":
        services.suggestion_return_for_revision(reason=note, **common)
    elif step == "reject":
        services.suggestion_reject(reason=note, **common)
    elif step == "convert":
        services.suggestion_convert(note=note, **common)
    elif step == "merge":
        into = _merge_target(actor, suggestion, data.get("into"))
        services.suggestion_merge(into=into, note=note, **common)
    elif step == "assign":
        lead = _unit(data.get("lead_unit"), "lead_unit")
        if lead is None:
            raise DomainError(_("请选择主办单位"), field="lead_unit")
        services.suggestion_assign(
            lead_unit=lead, co_units=_units(data.get("co_units"), "co_units"), note=note, **common
        )
    elif step == "unit_accept":
        services.assignment_accept(**common)
    elif step == "unit_return":
        services.assignment_return_request(reason=note, **common)
    elif step == "return_decide":
        assignment = Assignment.objects.filter(pk=data.get("assignment"), suggestion=suggestion).first()
        if assignment is None:
            raise Http404
        services.assignment_return_decide(
            assignment=assignment,
            approve=bool(data.get("approve")),
            new_unit=_unit(data.get("new_unit"), "new_unit"),
            note=note,
            **common,
        )
    elif step == "contact":
        services.contact_add(
            contacted_on=data.get("contacted_on"),
            way=data.get("way"),
            content=data.get("content", ""),
            **common,
        )
    elif step == "co_input":
        services.co_input_send(text=data.get("text", ""), **common)
    elif step == "extension_request":
        services.extension_request(
            requested_due_on=data.get("requested_due_on"), reason=data.get("reason", ""), **common
        )
    elif step == "extension_decide":
        extension = Extension.objects.filter(
            pk=data.get("extension"), assignment__suggestion=suggestion
        ).first()
        if extension is None:
            raise Http404
        services.extension_decide(extension=extension, approve=bool(data.get("approve")), note=note, **common)
    elif step == "reply":
        services.reply_submit(
            category=data.get("category", ""),
            text=data.get("text", ""),
            signer=data.get("signer", ""),
            letter=data.get("letter"),
            **common,
        )
    elif step == "evaluate":
        services.evaluation_submit(
            result=data.get("result", ""),
            attitude=data.get("attitude", ""),
            comment=data.get("comment", ""),
            **common,
        )
    elif step == "close":
        services.suggestion_close(note=note, **common)
    elif step == "designate_key":
        leader_user = data.get("leader_user")
        if leader_user is not None and not hasattr(leader_user, "role"):
            from renda.accounts.models import User

            leader_user = User.objects.filter(pk=leader_user).first()
        services.suggestion_designate_key(
            leader=data.get("leader", ""), leader_user=leader_user, note=note, **common
        )
    elif step == "supervise":
        services.supervision_note_add(
            kind=data.get("kind", ""),
            occurred_on=data.get("occurred_on"),
            text=data.get("text", ""),
            participants=data.get("participants", ""),
            **common,
        )
    elif step == "publish":
        services.suggestion_publish(text=data.get("text", ""), **common)
    else:
        raise Http404
    return str(MESSAGES.get(step, _("已%(a)s。") % {"a": LABELS.get(step, step)}))
