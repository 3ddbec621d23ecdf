"""Co-handling units (协办): the co-unit signs, sends its input within its own deadline, the lead sees
it before replying, the co-unit's part closes when the lead replies; staff change units after 交办."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from renda.accounts.services import user_create
from renda.core.errors import DomainError, InvalidTransition
from renda.suggestions import actions, deadlines, services
from renda.suggestions.models import Assignment, State, SuggestionEvent

PASSWORD = "Renda#2024x"


@pytest.fixture
def co_users(units):
    return {
        key: user_create(
            username=f"co_{key}",
            password=PASSWORD,
            role="handling_unit",
            full_name=units[key].name,
            organization=units[key],
        )
        for key in ("education", "health")
    }


def _contact(user, suggestion):
    services.contact_add(
        actor=user, suggestion=suggestion, contacted_on=timezone.localdate(), way="phone", content="电话沟通"
    )


def test_a_lead_unit_named_again_as_co_unit_is_refused_naming_the_field(make, users, units):
    suggestion = make("accepted")
    with pytest.raises(DomainError) as info:
        services.suggestion_assign(
            actor=users["county_staff"],
            suggestion=suggestion,
            lead_unit=units["transport"],
            co_units=[units["education"], units["transport"]],
        )
    assert info.value.field == "co_units"
    assert "协办单位" in info.value.message and "县交通运输局" in info.value.message
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED and not suggestion.assignments.exists()


def test_co_unit_signs_sends_input_within_its_deadline_and_the_lead_sees_it(
    make, users, units, co_users, client
):
    suggestion = make("assigned", co_units=[units["education"]])
    part = suggestion.assignments.get(unit=units["education"])
    assert part.due_on == deadlines.cohandler_due(part.assigned_on) < suggestion.due_on
    co = co_users["education"]
    client.force_login(co)
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    # The co-unit is told what is asked of it and by when, and can sign.
    assert "请于" in page and "向主办单位县交通运输局报送协办意见" in page
    assert 'id="step-unit_accept"' in page
    services.assignment_accept(actor=co, suggestion=suggestion)
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'id="step-co_input"' in page
    services.co_input_send(actor=co, suggestion=suggestion, text="学校周边道路由我局配合设置警示标志")
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    _contact(users["unit"], suggestion)
    client.force_login(users["unit"])
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    block = page.split('id="co-inputs"', 1)[1].split("</section>", 1)[0]
    assert "县教育局" in block and "学校周边道路由我局配合设置警示标志" in block
    # Shown before the reply form, so the lead reads it first.
    assert page.index('id="co-inputs"') < page.index('id="step-reply"')


def test_the_reply_panel_says_which_co_input_is_still_missing(make, users, units, co_users, client):
    suggestion = make("assigned", co_units=[units["education"]])
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    _contact(users["unit"], suggestion)
    client.force_login(users["unit"])
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    block = page.split('id="co-inputs"', 1)[1].split("</section>", 1)[0]
    assert "县教育局" in block and "尚未报送" in block


def test_lead_reply_closes_the_open_co_parts_visibly(make, users, units, co_users, client):
    suggestion = make("assigned", co_units=[units["education"], units["health"]])
    services.assignment_accept(actor=co_users["education"], suggestion=suggestion)
    services.co_input_send(actor=co_users["education"], suggestion=suggestion, text="配合整治")
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    _contact(users["unit"], suggestion)
    services.reply_submit(
        actor=users["unit"], suggestion=suggestion, category="A", text="已修复该路段", signer="局长"
    )
    parts = {a.unit_id: a for a in suggestion.assignments.all()}
    assert parts[units["education"].pk].state == Assignment.State.DONE
    assert parts[units["health"].pk].state == Assignment.State.CLOSED  # never signed: closed, not 待签收
    health = co_users["health"]
    client.force_login(health)
    inbox = client.get(reverse("suggestions:unit_inbox")).content.decode()
    assert "协办结束" in inbox and "待签收" not in inbox
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    # It sees the lead's reply and that its part is closed; nothing left to do.
    assert "已修复该路段" in page and "主办单位已答复，本单位的协办已结束" in page
    assert 'id="step-' not in page
    with pytest.raises(InvalidTransition):
        services.assignment_accept(actor=health, suggestion=suggestion)


def test_staff_add_a_co_unit_after_assignment_with_a_reason(make, users, units, co_users):
    suggestion = make("assigned")
    staff = users["county_staff"]
    with pytest.raises(DomainError) as info:
        services.assignment_change(actor=staff, suggestion=suggestion, new_unit=units["education"], reason="")
    assert info.value.field == "note"
    with pytest.raises(DomainError) as info:
        services.assignment_change(
            actor=staff, suggestion=suggestion, new_unit=units["transport"], reason="补充"
        )
    assert info.value.field == "new_unit" and "县交通运输局" in info.value.message
    services.assignment_change(
        actor=staff, suggestion=suggestion, new_unit=units["education"], reason="涉及学校周边道路"
    )
    part = suggestion.assignments.get(unit=units["education"])
    assert part.role == Assignment.Role.CO and part.state == Assignment.State.PENDING
    assert part.due_on == deadlines.cohandler_due(timezone.localdate())
    event = SuggestionEvent.objects.get(suggestion=suggestion, action="unit_change")
    assert "涉及学校周边道路" in event.note and "县教育局" in event.note
    services.assignment_accept(actor=co_users["education"], suggestion=suggestion)
    with pytest.raises(InvalidTransition):
        services.assignment_change(
            actor=users["unit"], suggestion=suggestion, new_unit=units["health"], reason="x"
        )


def test_staff_change_the_lead_unit_the_old_one_no_longer_sees_it(make, users, units, co_users):
    suggestion = make("assigned")
    old = suggestion.assignments.get()
    services.assignment_change(
        actor=users["county_staff"],
        suggestion=suggestion,
        assignment=old,
        new_unit=units["health"],
        reason="属于卫生健康局职责",
    )
    old.refresh_from_db()
    assert old.state == Assignment.State.REMOVED
    lead = suggestion.assignments.get(role=Assignment.Role.LEAD, state=Assignment.State.PENDING)
    assert lead.unit == units["health"]
    with pytest.raises(Http404):
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    services.assignment_accept(actor=co_users["health"], suggestion=suggestion)


def test_the_change_form_runs_through_the_one_dispatcher(make, users, units, client):
    suggestion = make("assigned")
    client.force_login(users["county_staff"])
    url = reverse("suggestions:step", args=[suggestion.pk, "unit_change"])
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert 'id="step-unit_change"' in page and "县交通运输局（主办）" in page
    response = client.post(
        url, {"version": suggestion.version, "new_unit": units["transport"].pk, "note": "x"}
    )
    assert response.status_code == 400 and "县交通运输局" in response.content.decode()
    response = client.post(
        url, {"version": suggestion.version, "new_unit": units["education"].pk, "note": "涉及学校"}
    )
    assert response.status_code == 302
    assert suggestion.assignments.filter(unit=units["education"], role="co").exists()
    assert "unit_change" in actions.FORMS


def test_a_co_input_over_2000_characters_is_refused_naming_the_field_and_nothing_is_written(
    make, units, co_users, client
):
    """协办意见 has a limit like every long text (issue 11 §4): the page's form counts and refuses, the
    service (and so the API, which calls actions.perform) refuses, naming the field and the count."""
    from renda.suggestions.forms import CoInputForm

    suggestion = make("assigned", co_units=[units["education"]])
    co = co_users["education"]
    services.assignment_accept(actor=co, suggestion=suggestion)
    with pytest.raises(DomainError) as info:
        services.co_input_send(actor=co, suggestion=suggestion, text="字" * 2001)
    assert info.value.field == "text"
    assert info.value.message == "协办意见最多 2000 字，现在 2001 字"
    with pytest.raises(DomainError):
        actions.perform(step="co_input", actor=co, suggestion=suggestion, data={"text": "字" * 2001})
    part = suggestion.assignments.get(unit=units["education"])
    assert part.co_input == "" and part.co_input_at is None
    form = CoInputForm(data={"text": "字" * 2001})
    assert form.errors["text"] == ["协办意见最多 2000 字，现在 2001 字"]
    client.force_login(co)
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    block = page.split('id="step-co_input"', 1)[1].split("</form>", 1)[0]
    assert 'maxlength="2000"' in block and "data-counter=" in block
    services.co_input_send(actor=co, suggestion=suggestion, text="字" * 2000)
    assert suggestion.assignments.get(unit=units["education"]).co_input == "字" * 2000


def test_the_lead_unit_is_notified_when_a_co_unit_sends_its_input(
    make, users, units, co_users, client, django_capture_on_commit_callbacks
):
    from renda.notifications.models import Notification

    suggestion = make("assigned", co_units=[units["education"]])
    co = co_users["education"]
    services.assignment_accept(actor=co, suggestion=suggestion)
    suggestion.refresh_from_db()
    client.force_login(co)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("suggestions:step", args=[suggestion.pk, "co_input"]),
            {"text": "配合设置警示标志", "version": suggestion.version},
        )
    assert response.status_code in (200, 302)
    sent = Notification.objects.get(kind="suggestion.co_input")
    assert sent.user == users["unit"]  # the lead unit's account (县交通运输局), not the co-unit's
    assert "县教育局" in sent.title and sent.body == "配合设置警示标志"
    assert sent.url == reverse("suggestions:detail", args=[suggestion.pk])
