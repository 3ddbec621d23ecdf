"""The step table (workflow.STEPS) is complete, and the one generic service does what it declares."""

import datetime

import pytest
from django.utils import timezone

from renda.core.errors import DomainError
from renda.suggestions import actions, services, workflow
from renda.suggestions.models import ACTIONS, State


def test_every_action_of_the_table_is_declared_once_with_a_label():
    in_table = {action for rules in workflow.TABLE.values() for action in rules}
    assert in_table == set(workflow.STEPS) == set(ACTIONS)


def test_each_named_service_exists_and_each_form_step_has_one_way_to_run():
    for action, step in workflow.STEPS.items():
        if step.service:
            assert callable(getattr(services, step.service)), action
    for form_step in actions.FORMS:
        declared = [
            workflow.STEPS[a] for a in workflow.STEPS if actions.FORM_FOR_ACTION.get(a, a) == form_step
        ]
        own = form_step in actions.OWN_SERVICE
        assert declared, form_step
        # A step with a service of its own is dispatched to it; any other runs through suggestion_step.
        assert own == any(d.service for d in declared), form_step


def test_the_generic_service_refuses_what_the_step_does_not_take(make, users):
    suggestion = make("submitted")
    with pytest.raises(TypeError, match="own service"):
        services.suggestion_step(actor=users["county_staff"], suggestion=suggestion, step="accept")
    with pytest.raises(TypeError, match="takes no leader"):
        services.suggestion_step(
            actor=users["county_staff"], suggestion=suggestion, step="reject", note="理由", leader="某"
        )


@pytest.mark.parametrize(
    ("state", "step", "actor", "data", "field", "message"),
    [
        ("submitted", "reject", "county_staff", {}, "note", "请填写不予立案的理由"),
        ("submitted", "return_for_revision", "county_staff", {"note": "  "}, "note", "退回修改的意见"),
        ("replied", "close", "county_staff", {}, "note", "请说明办结理由"),
        ("accepted", "designate_key", "county_staff", {"leader": " "}, "leader", "领衔督办的领导"),
        ("assigned", "unit_return", "unit", {}, "note", "不属于本单位职责的理由"),
    ],
)
def test_a_declared_requirement_names_its_field_and_changes_nothing(
    make, users, state, step, actor, data, field, message
):
    suggestion = make(state)
    before = (suggestion.state, suggestion.version, suggestion.events.count())
    with pytest.raises(DomainError, match=message) as refused:
        actions.perform(step=step, actor=users[actor], suggestion=suggestion, data=data)
    assert refused.value.field == field
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.version, suggestion.events.count()) == before


def test_declared_steps_write_what_they_declare(make, users):
    """reject writes the reason for the deputy; a contact and a supervision note are rows of their own."""
    rejected = make("submitted")
    actions.perform(
        step="reject", actor=users["county_staff"], suggestion=rejected, data={"note": " 个人诉求 "}
    )
    rejected.refresh_from_db()
    assert (rejected.state, rejected.decision_reason) == (State.NOT_ACCEPTED, "个人诉求")
    assert rejected.events.get(action="reject").note == "个人诉求"

    handled = make("assigned")
    services.assignment_accept(actor=users["unit"], suggestion=handled)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="不能晚于今天") as refused:
        services.contact_add(
            actor=users["unit"],
            suggestion=handled,
            contacted_on=today + datetime.timedelta(days=1),
            way="phone",
            content="电话",
        )
    assert refused.value.field == "contacted_on"
    contact = services.contact_add(
        actor=users["unit"], suggestion=handled, contacted_on=today, way="phone", content=" 电话联系 "
    )
    assert (contact.content, contact.round, contact.created_by) == ("电话联系", 1, users["unit"])
    assert handled.events.get(action="contact").note == "电话联系"

    services.suggestion_designate_key(actor=users["county_staff"], suggestion=handled, leader="张副主任")
    handled.refresh_from_db()
    assert handled.is_key and handled.key_leader == "张副主任"
    assert handled.events.get(action="designate_key").note == "张副主任"  # the default note
    with pytest.raises(DomainError, match="领导角色") as refused:
        actions.perform(
            step="designate_key",
            actor=users["county_staff"],
            suggestion=handled,
            data={"leader": "李某", "leader_user": users["unit"].pk},  # an id, as the API sends it
        )
    assert refused.value.field == "leader_user"
