"""The state table as a grid (state × action × role), and every refusal driven through the services."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from renda.core.access import Role
from renda.core.errors import InvalidTransition
from renda.suggestions import actions, workflow
from renda.suggestions.models import State

S, D, U, L = Role.COUNTY_STAFF, Role.DEPUTY, Role.HANDLING_UNIT, Role.LEADER

# The agreed handling cycle, written out by hand: state -> action -> roles allowed.
EXPECTED = {
    State.DRAFT: {"submit": {S, D}, "withdraw": {S, D}},
    State.REVISION: {"submit": {S, D}, "withdraw": {S, D}},
    State.SUBMITTED: {
        "accept": {S},
        "return_for_revision": {S},
        "reject": {S},
        "merge": {S},
        "withdraw": {D},
    },
    State.NOT_ACCEPTED: {"convert": {S}},
    State.ACCEPTED: {"assign": {S}, "merge": {S}, "designate_key": {S}, "supervise": {S, L}},
    State.ASSIGNED: {
        "unit_accept": {U},
        "unit_return": {U},
        "return_approve": {S},
        "return_refuse": {S},
        "contact": {U},
        "co_input": {U},
        "extension_request": {U},
        "extension_approve": {S},
        "extension_refuse": {S},
        "reply": {U},
        "unit_change": {S},
        "designate_key": {S},
        "supervise": {S, L},
    },
    State.REHANDLING: {
        "contact": {U},
        "reply": {U},
        "unit_change": {S},
        "designate_key": {S},
        "supervise": {S, L},
    },
    State.REPLIED: {
        "evaluate": {S, D},
        "rehandle": {S, D},
        "close": {S},
        "publish": {S},
        "designate_key": {S},
        "supervise": {S, L},
    },
    State.CLOSED: {"publish": {S}},
    State.WITHDRAWN: {},
    State.MERGED: {},
}


def test_every_state_is_in_the_table():
    assert set(workflow.TABLE) == set(State.values) == set(EXPECTED)


@pytest.mark.parametrize("state", State.values)
def test_table_matches_the_agreed_grid(state):
    for action in workflow.ACTIONS:
        for role in Role.values:
            rule = workflow.TABLE[state].get(action)
            in_table = rule is not None and role in rule.roles
            expected = role in EXPECTED[state].get(action, set())
            assert in_table == expected, (state, action, role)


def test_targets_of_the_table():
    targets = {(s, a): r.target for s, rules in workflow.TABLE.items() for a, r in rules.items()}
    assert targets[(State.DRAFT, "submit")] == State.SUBMITTED
    assert targets[(State.SUBMITTED, "accept")] == State.ACCEPTED
    assert targets[(State.SUBMITTED, "return_for_revision")] == State.REVISION
    assert targets[(State.SUBMITTED, "reject")] == State.NOT_ACCEPTED
    assert targets[(State.NOT_ACCEPTED, "convert")] == State.SUBMITTED
    assert targets[(State.ACCEPTED, "assign")] == State.ASSIGNED
    assert targets[(State.ASSIGNED, "reply")] == State.REPLIED
    assert targets[(State.REPLIED, "rehandle")] == State.REHANDLING
    assert targets[(State.REHANDLING, "reply")] == State.REPLIED
    assert targets[(State.REPLIED, "evaluate")] == State.CLOSED
    assert targets[(State.REPLIED, "close")] == State.CLOSED
    assert targets[(State.SUBMITTED, "merge")] == State.MERGED


# Which table actions each form step may take.
STEP_ACTIONS = {
    "return_decide": {"return_approve", "return_refuse"},
    "extension_decide": {"extension_approve", "extension_refuse"},
    "evaluate": {"evaluate", "rehandle"},
}
ACTORS = ["county_staff", "deputy", "unit", "leader", "township_staff"]


def _valid_data(step, suggestion, units, target):
    today = timezone.localdate()
    first_part = suggestion.assignments.first()
    from renda.suggestions.models import Extension

    extension = Extension.objects.filter(assignment__suggestion=suggestion).first()
    return {
        "version": None,
        "note": "审查意见和理由",
        "lead_unit": units["education"].pk,
        "co_units": [],
        "into": target.number,
        "assignment": first_part.pk if first_part else 0,
        "extension": extension.pk if extension else 0,
        "approve": True,
        "new_unit": units["health"].pk,
        "contacted_on": today,
        "way": "phone",
        "content": "电话沟通",
        "text": "意见内容",
        "requested_due_on": (suggestion.due_on or today) + datetime.timedelta(days=20),
        "reason": "情况复杂",
        "category": "A",
        "signer": "局长",
        "result": "satisfied",
        "attitude": "satisfied",
        "comment": "",
        "leader": "县人民政府县长 李某",
        "leader_user": None,
        "kind": "visit",
        "occurred_on": today,
        "participants": "",
    }


def _snapshot(suggestion):
    suggestion.refresh_from_db()
    return (
        suggestion.state,
        suggestion.version,
        suggestion.events.count(),
        suggestion.assignments.count(),
        suggestion.replies.count(),
        suggestion.evaluations.count(),
        suggestion.is_key,
        suggestion.published,
    )


@pytest.mark.parametrize("state", State.values)
def test_every_refusal_changes_nothing(state, make, users, units):
    """Every step not in the table for a role, in every state, is refused and leaves no trace."""
    target = make(
        "accepted", title="关于九驿街道路灯维修的建议", body="九驿街道主干道路灯损坏多处，夜间出行不便。"
    )
    kwargs = {"merge_into": target} if state == State.MERGED else {}
    suggestion = make(state, **kwargs)
    refused = 0
    for step in actions.FORMS:
        table_actions = STEP_ACTIONS.get(step, {step})
        for username in ACTORS:
            user = users[username]
            allowed = any(user.role in EXPECTED[state].get(a, set()) for a in table_actions)
            if allowed:
                continue
            before = _snapshot(suggestion)
            data = _valid_data(step, suggestion, units, target)
            with pytest.raises((InvalidTransition, Http404)):
                actions.perform(step=step, actor=user, suggestion=suggestion, data=data)
            assert _snapshot(suggestion) == before, (state, step, username)
            refused += 1
    assert refused > 40


@pytest.mark.parametrize("state", [State.CLOSED, State.WITHDRAWN, State.MERGED])
def test_after_closing_the_message_says_so(state, make, users):
    target = make("accepted", title="另一件建议", body="另一件建议的内容，与本件无关。")
    suggestion = make(state, merge_into=target if state == State.MERGED else None)
    with pytest.raises(InvalidTransition) as info:
        actions.perform(
            step="reply",
            actor=users["unit"],
            suggestion=suggestion,
            data={"text": "x", "signer": "y", "category": "A"},
        )
    assert f"该件已{suggestion.get_state_display()}" in info.value.message


def test_wrong_role_message_names_the_role(make, users):
    suggestion = make("submitted")
    with pytest.raises(InvalidTransition) as info:
        actions.perform(step="accept", actor=users["deputy"], suggestion=suggestion, data={})
    assert info.value.message == "您的角色（人大代表）不能审查立案"


def test_allowed_steps_per_role(make, users):
    suggestion = make("submitted")
    assert actions.form_steps(suggestion, users["county_staff"]) == [
        "accept",
        "return_for_revision",
        "reject",
        "merge",
    ]
    assert actions.form_steps(suggestion, users["deputy"]) == ["withdraw"]
    assert actions.form_steps(suggestion, users["unit"]) == []
    replied = make("replied", title="关于增设公交站点的建议", body="建议在黄泥塘镇中心增设公交站点。")
    assert actions.form_steps(replied, users["deputy"]) == ["evaluate"]
    assert actions.form_steps(replied, users["county_staff"]) == [
        "evaluate",
        "close",
        "publish",
        "designate_key",
    ]
