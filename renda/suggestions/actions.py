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
    "unit_change": forms.UnitChangeForm,
}

# The form step that offers each table action on the page.
FORM_FOR_ACTION = {
    "return_approve": "return_decide",
    "return_refuse": "return_decide",
    "extension_approve": "extension_decide",
    "extension_refuse": "extension_decide",
    "rehandle": "evaluate",
}

# Form steps taken once per pending request: the form field naming the row decided, and the rows.
TARGETS = {
    "return_decide": (
        "assignment",
        lambda s: s.assignments.filter(state=Assignment.State.RETURN_REQUESTED).select_related("unit"),
    ),
    "extension_decide": (
        "extension",
        lambda s: Extension.objects.filter(
            assignment__suggestion=s, state=Extension.State.REQUESTED
        ).select_related("assignment__unit"),
    ),
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
    "unit_change": gettext_lazy("已调整承办单位，新单位将收到交办。"),
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
        Suggestion.objects.filter(
            congress_id=suggestion.congress_id,
            term=suggestion.term,
            session=suggestion.session,
            number=number,
        ),
        user,
    ).first()
    if found is None:
        raise DomainError(_("没有找到本届本次会议的该编号建议"), field="into")
    return found


# --- the steps with a service of their own: what each takes from the form ---


def _note(data: dict) -> str:
    return (data.get("note") or "").strip()


def _merge(data, **common):
    into = _merge_target(common["actor"], common["suggestion"], data.get("into"))
    services.suggestion_merge(into=into, note=_note(data), **common)


def _assign(data, **common):
    lead = _unit(data.get("lead_unit"), "lead_unit")
    if lead is None:
        raise DomainError(_("请选择主办单位"), field="lead_unit")
    co_units = _units(data.get("co_units"), "co_units")
    services.suggestion_assign(lead_unit=lead, co_units=co_units, note=_note(data), **common)


def _return_decide(data, **common):
    assignment = Assignment.objects.filter(pk=data.get("assignment"), suggestion=common["suggestion"]).first()
    if assignment is None:
        raise Http404
    services.assignment_return_decide(
        assignment=assignment,
        approve=bool(data.get("approve")),
        new_unit=_unit(data.get("new_unit"), "new_unit"),
        note=_note(data),
        **common,
    )


def _extension_decide(data, **common):
    suggestion = common["suggestion"]
    extension = Extension.objects.filter(pk=data.get("extension"), assignment__suggestion=suggestion).first()
    if extension is None:
        raise Http404
    approve = bool(data.get("approve"))
    services.extension_decide(extension=extension, approve=approve, note=_note(data), **common)


def _unit_change(data, **common):
    part = None
    if data.get("assignment"):
        part = Assignment.objects.filter(pk=data["assignment"], suggestion=common["suggestion"]).first()
        if part is None:
            raise Http404
    services.assignment_change(
        assignment=part,
        new_unit=_unit(data.get("new_unit"), "new_unit"),
        reason=_note(data),
        **common,
    )


OWN_SERVICE = {
    "submit": lambda data, **common: services.suggestion_submit(**common),
    "accept": lambda data, **common: services.suggestion_accept(note=_note(data), **common),
    "merge": _merge,
    "assign": _assign,
    "return_decide": _return_decide,
    "extension_request": lambda data, **common: services.extension_request(
        requested_due_on=data.get("requested_due_on"), reason=data.get("reason", ""), **common
    ),
    "extension_decide": _extension_decide,
    "reply": lambda data, **common: services.reply_submit(
        category=data.get("category", ""),
        text=data.get("text", ""),
        signer=data.get("signer", ""),
        letter=data.get("letter"),
        **common,
    ),
    "evaluate": lambda data, **common: services.evaluation_submit(
        result=data.get("result", ""),
        attitude=data.get("attitude", ""),
        comment=data.get("comment", ""),
        **common,
    ),
    "publish": lambda data, **common: services.suggestion_publish(text=data.get("text", ""), **common),
    "unit_change": _unit_change,
}


def perform(*, step: str, actor, suggestion: Suggestion, data: dict) -> str:
    """Run one step; return the success message. Raises DomainError/InvalidTransition/ConcurrentUpdate.

    A step declared whole in workflow.STEPS runs through services.suggestion_step with the note and
    the inputs its declaration names; the others through their own service (OWN_SERVICE).
    """
    if step not in FORMS:
        raise Http404
    action = table_action(step, data)
    # The table first: a refused step is refused as such, before its data is looked at.
    workflow.check(suggestion, action, actor)
    common = {"actor": actor, "suggestion": suggestion, "version": data.get("version")}
    if step in OWN_SERVICE:
        OWN_SERVICE[step](data, **common)
    else:
        declared = workflow.STEPS[action]
        inputs = {name: data.get(name, default) for name, default in declared.inputs.items()}
        services.suggestion_step(step=action, note=data.get(declared.note_field) or "", **inputs, **common)
    return str(MESSAGES.get(step, _("已%(a)s。") % {"a": LABELS.get(step, step)}))
