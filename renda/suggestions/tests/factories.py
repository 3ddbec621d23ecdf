"""Build suggestions in any state through the real services (no shortcuts past the workflow)."""

import datetime

from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.models import Evaluation, Reply, State, Suggestion

# The path to each state: the steps that lead there from a draft.
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.REVISION: ["submit", "return_for_revision"],
    State.WITHDRAWN: ["withdraw"],
    State.NOT_ACCEPTED: ["submit", "reject"],
    State.ACCEPTED: ["submit", "accept"],
    State.ASSIGNED: ["submit", "accept", "assign"],
    State.REPLIED: ["submit", "accept", "assign", "unit_accept", "contact", "reply"],
    State.REHANDLING: ["submit", "accept", "assign", "unit_accept", "contact", "reply", "dissatisfied"],
    State.CLOSED: ["submit", "accept", "assign", "unit_accept", "contact", "reply", "satisfied"],
    State.MERGED: ["submit", "merge"],
}


def make(
    *,
    users,
    deputy,
    title: str = "关于修复黄泥塘镇通村公路的建议",
    body: str = "黄泥塘镇至九驿街道的通村公路路面破损严重，雨天积水，群众出行困难，建议尽快维修。",
    category: str = "transport",
    kind: str = "suggestion",
    region=None,
    cosigners=(),
    state: str = State.DRAFT,
    lead_unit=None,
    co_units=(),
    merge_into: Suggestion | None = None,
    at: datetime.datetime | None = None,
    reply_category: str = Reply.Category.A,
) -> Suggestion:
    staff, unit_user = users["county_staff"], users["unit"]
    deputy_user = deputy.user or staff
    suggestion = services.suggestion_create(
        actor=deputy_user if deputy.user else staff,
        lead_deputy=deputy,
        title=title,
        body=body,
        category=category,
        kind=kind,
        region=region,
        cosigners=cosigners,
    )
    # Co-signers said yes (staff record the answers of those without an account).
    for signer in suggestion.signers.filter(is_lead=False, answer="pending").select_related("deputy"):
        user = signer.deputy.user
        services.cosign_answer(
            actor=user or staff, suggestion=suggestion, accept=True, signer=None if user else signer
        )
    for step in PATHS[state]:
        apply(
            step,
            suggestion=suggestion,
            users=users,
            deputy_user=deputy_user,
            lead_unit=lead_unit or unit_user.organization,
            co_units=co_units,
            merge_into=merge_into,
            at=at,
            reply_category=reply_category,
        )
    suggestion.refresh_from_db()
    assert suggestion.state == state, (suggestion.state, state)
    return suggestion


def apply(
    step,
    *,
    suggestion,
    users,
    deputy_user,
    lead_unit,
    co_units=(),
    merge_into=None,
    at=None,
    reply_category="A",
):
    staff, unit_user = users["county_staff"], users["unit"]
    if step == "submit":
        services.suggestion_submit(actor=deputy_user, suggestion=suggestion, at=at)
    elif step == "withdraw":
        services.suggestion_withdraw(actor=deputy_user, suggestion=suggestion)
    elif step == "return_for_revision":
        services.suggestion_return_for_revision(actor=staff, suggestion=suggestion, reason="请补充具体路段")
    elif step == "reject":
        services.suggestion_reject(actor=staff, suggestion=suggestion, reason="属于个人诉求，不予立案")
    elif step == "accept":
        services.suggestion_accept(actor=staff, suggestion=suggestion, at=at)
    elif step == "merge":
        services.suggestion_merge(actor=staff, suggestion=suggestion, into=merge_into)
    elif step == "assign":
        services.suggestion_assign(
            actor=staff, suggestion=suggestion, lead_unit=lead_unit, co_units=co_units, at=at
        )
    elif step == "unit_accept":
        services.assignment_accept(actor=unit_user, suggestion=suggestion, at=at)
    elif step == "contact":
        services.contact_add(
            actor=unit_user,
            suggestion=suggestion,
            contacted_on=timezone.localtime(at).date() if at else timezone.localdate(),
            way="phone",
            content="电话联系代表，了解路段情况",
            at=at,
        )
    elif step == "reply":
        services.reply_submit(
            actor=unit_user,
            suggestion=suggestion,
            category=reply_category,
            text="已安排资金对该路段进行修复，预计两个月内完工。联系电话13812345678。",
            signer="张局长",
            at=at,
        )
    elif step in ("satisfied", "dissatisfied", "basic"):
        services.evaluation_submit(
            actor=deputy_user,
            suggestion=suggestion,
            result={"satisfied": Evaluation.Result.SATISFIED, "basic": Evaluation.Result.BASIC}.get(
                step, Evaluation.Result.DISSATISFIED
            ),
            attitude=Evaluation.Result.SATISFIED,
            comment="" if step != "dissatisfied" else "修复范围太小",
            at=at,
        )
    else:
        raise ValueError(step)
    suggestion.refresh_from_db()
