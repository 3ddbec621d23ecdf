"""Deadlines (month ends, working days, legal periods) and reminders, with frozen time."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from renda.core.errors import DomainError, InvalidTransition
from renda.notifications.models import Notification
from renda.suggestions import services
from renda.suggestions.deadlines import add_months, add_working_days, is_working_day

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")


def at(day: D, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2025, 1, 31), 3, D(2025, 4, 30)),  # the case the issue names
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # across the year end
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 3, 15), 3, D(2025, 6, 15)),
        (D(2025, 12, 31), 1, D(2026, 1, 31)),
        (D(2025, 5, 31), 0, D(2025, 5, 31)),
    ],
)
def test_add_months_clamps_at_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_working_days_skip_weekends_and_the_official_holidays():
    # Friday 31 January 2025 (春节 break to 4 Feb) + 7 working days: 5, 6, 7, 8 (Saturday worked), 10, 11, 12.
    assert add_working_days(D(2025, 1, 31), 7) == D(2025, 2, 12)
    assert add_working_days(D(2025, 2, 8), 1) == D(2025, 2, 10)  # from a Saturday
    assert not is_working_day(D(2025, 2, 9)) and is_working_day(D(2025, 2, 10))


@override_settings(RENDA_HOLIDAYS=["2025-02-03", "2025-02-04"], RENDA_EXTRA_WORKDAYS=["2025-02-08"])
def test_working_days_follow_the_holiday_calendar_setting():
    assert not is_working_day(D(2025, 2, 3)) and is_working_day(D(2025, 2, 8))
    # 31 Jan (Fri) → 5, 6, 7, 8 (worked Saturday), 10, 11, 12.
    assert add_working_days(D(2025, 1, 31), 7) == D(2025, 2, 12)


def test_legal_periods_from_a_handover_on_31_january(make, users, units):
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("accepted")
        services.suggestion_assign(
            actor=users["county_staff"],
            suggestion=suggestion,
            lead_unit=units["transport"],
            co_units=[units["education"]],
        )
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    assert suggestion.assigned_on == D(2025, 1, 31)
    assert suggestion.due_on == lead.due_on == D(2025, 4, 30)  # 3 months, clamped
    assert co.due_on == D(2025, 2, 28)  # co-handlers: 1 month
    assert lead.return_due_on == D(2025, 2, 12)  # 7 working days on the official calendar


def test_return_only_within_seven_working_days(make, users):
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        first = make("assigned")
        second = make("assigned", title="第二件", body="第二件的内容")
    with time_machine.travel(at(D(2025, 2, 12), 17), tick=False):
        services.assignment_return_request(actor=users["unit"], suggestion=first, reason="不属于本单位")
    with (
        time_machine.travel(at(D(2025, 2, 13), 9), tick=False),
        pytest.raises(InvalidTransition, match="2025年2月12日"),
    ):
        services.assignment_return_request(actor=users["unit"], suggestion=second, reason="不属于本单位")
    assert second.assignments.get().state == "pending"


def test_extensions_stop_at_six_months_in_all(make, users):
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("assigned")
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    with time_machine.travel(at(D(2025, 4, 1)), tick=False):
        with pytest.raises(InvalidTransition, match="最长不超过6个月（至2025年7月31日）"):
            services.extension_request(
                actor=users["unit"], suggestion=suggestion, requested_due_on=D(2025, 8, 1), reason="复杂"
            )
        with pytest.raises(DomainError):
            services.extension_request(
                actor=users["unit"],
                suggestion=suggestion,
                requested_due_on=D(2025, 4, 30),
                reason="不晚于原期限",
            )
        extension = services.extension_request(
            actor=users["unit"], suggestion=suggestion, requested_due_on=D(2025, 7, 31), reason="需要列入预算"
        )
        services.extension_decide(
            actor=users["county_staff"], suggestion=suggestion, extension=extension, approve=True
        )
    assert suggestion.due_on == D(2025, 7, 31)


def test_on_time_and_late_replies(make, users):
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        early = make("assigned")
        late = make("assigned", title="第二件", body="第二件的内容")
        for s in (early, late):
            services.assignment_accept(actor=users["unit"], suggestion=s)
            services.contact_add(
                actor=users["unit"], suggestion=s, contacted_on=D(2025, 1, 31), way="phone", content="沟通"
            )
    with time_machine.travel(at(D(2025, 4, 30), 17), tick=False):
        on_time = services.reply_submit(
            actor=users["unit"], suggestion=early, category="A", text="答复", signer="局长"
        )
        assert not late.is_overdue
    with time_machine.travel(at(D(2025, 5, 1)), tick=False):
        late.refresh_from_db()
        assert late.is_overdue and late.days_left == -1
        overdue_reply = services.reply_submit(
            actor=users["unit"], suggestion=late, category="B", text="答复", signer="局长"
        )
    assert on_time.on_time and not overdue_reply.on_time


def test_second_reply_is_due_one_month_after_dissatisfaction(make, users):
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("replied")
    with time_machine.travel(at(D(2025, 3, 31)), tick=False):
        services.evaluation_submit(
            actor=users["deputy"],
            suggestion=suggestion,
            result="dissatisfied",
            attitude="basic",
            comment="不满意",
        )
    assert suggestion.due_on == D(2025, 4, 30)


class Recorder:
    """A sender that keeps what it was asked to send (the setting names this class)."""

    sent: list = []

    def send(self, notification):
        Recorder.sent.append((notification.user.username, notification.key, notification.title))


@override_settings(RENDA_REMINDER_SENDER="renda.suggestions.tests.test_deadlines.Recorder")
def test_each_reminder_is_sent_exactly_once(make, users, units):
    """Handed over on 31 Jan: due 30 April. Run the command twice a day from 1 April to 16 May."""
    Recorder.sent = []
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("assigned")
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    days = {}
    day = D(2025, 4, 1)
    while day <= D(2025, 5, 16):
        with time_machine.travel(at(day, 7), tick=False):
            before = len(Recorder.sent)
            call_command("suggestion_reminders", stdout=io.StringIO())
            call_command("suggestion_reminders", stdout=io.StringIO())  # idempotent
            if len(Recorder.sent) > before:
                days[day] = [title for _user, _key, title in Recorder.sent[before:]]
        day += datetime.timedelta(days=1)
    assert days == {
        D(2025, 4, 15): ["还有15天到期：第18届第3次会议第001号"],
        D(2025, 4, 30): ["今天到期：第18届第3次会议第001号"],
        D(2025, 5, 1): ["已超期1天：第18届第3次会议第001号"],
        D(2025, 5, 4): ["已超期4天：第18届第3次会议第001号"],
        D(2025, 5, 7): ["已超期7天：第18届第3次会议第001号"],
        D(2025, 5, 10): ["已超期10天：第18届第3次会议第001号"],
        D(2025, 5, 13): ["已超期13天：第18届第3次会议第001号"],
        D(2025, 5, 16): ["已超期16天：第18届第3次会议第001号"],
    }
    assert {user for user, _k, _t in Recorder.sent} == {"unit"}
    assert Notification.objects.filter(user=users["unit"]).count() == 8
    assert len({key for _u, key, _t in Recorder.sent}) == 8


@override_settings(RENDA_REMINDER_SENDER="renda.suggestions.tests.test_deadlines.Recorder")
def test_a_missed_day_is_caught_up_once_and_replied_items_stop(make, users):
    Recorder.sent = []
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("assigned")
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)
        services.contact_add(
            actor=users["unit"],
            suggestion=suggestion,
            contacted_on=D(2025, 1, 31),
            way="phone",
            content="沟通",
        )
    # The job did not run on the 15th: the 20th sends the "before" reminder, the 21st nothing.
    for day in (D(2025, 4, 20), D(2025, 4, 21)):
        with time_machine.travel(at(day), tick=False):
            services_count = len(Recorder.sent)
            from renda.suggestions.reminders import reminders_send

            reminders_send()
            if day == D(2025, 4, 20):
                assert [t for _u, _k, t in Recorder.sent[services_count:]] == [
                    "还有10天到期：第18届第3次会议第001号"
                ]
            else:
                assert len(Recorder.sent) == services_count
    with time_machine.travel(at(D(2025, 4, 25)), tick=False):
        services.reply_submit(
            actor=users["unit"], suggestion=suggestion, category="A", text="答复", signer="局长"
        )
    with time_machine.travel(at(D(2025, 5, 1)), tick=False):
        from renda.suggestions.reminders import reminders_send

        assert reminders_send() == 0


@override_settings(RENDA_REMINDER_SENDER="renda.suggestions.tests.test_deadlines.Recorder")
def test_the_task_sends_the_same_reminders(make, users):
    from renda.suggestions.tasks import suggestion_reminders_task

    Recorder.sent = []
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        make("assigned")
    with time_machine.travel(at(D(2025, 4, 30)), tick=False):
        result = suggestion_reminders_task.enqueue()
        assert result.return_value == 1
        suggestion_reminders_task.enqueue()
    assert len(Recorder.sent) == 1


# --- the official calendar (issue 12 §3) ---


def test_a_handover_before_national_day_counts_the_official_calendar(make, users, units):
    """Handed over 2024-09-27: return within 7 working days → 2024-10-12 (29 Sep and 12 Oct worked)."""
    with time_machine.travel(at(D(2024, 9, 27)), tick=False):
        suggestion = make("assigned")
    assert suggestion.assignments.get().return_due_on == D(2024, 10, 12)


def test_a_reply_period_ending_on_national_day_ends_on_the_next_working_day(make, users):
    """Handed over 2024-07-01: 3 months end on 1 October, a holiday → 8 October (Civil Code art. 203)."""
    with time_machine.travel(at(D(2024, 7, 1)), tick=False):
        suggestion = make("assigned")
    assert suggestion.due_on == suggestion.assignments.get().due_on == D(2024, 10, 8)


def test_an_added_holiday_moves_open_deadlines_but_not_closed_ones(make, users, settings):
    from renda.suggestions.deadlines import deadlines_refresh

    with time_machine.travel(at(D(2025, 3, 3)), tick=False):
        open_item = make("assigned")
        closed_item = make("closed", title="已办结的一件", body="已办结的内容")
    assert open_item.due_on == closed_item.assignments.get().due_on == D(2025, 6, 3)
    assert deadlines_refresh() == 0  # nothing changed in the calendar: nothing moves
    # The county declares 3 June a local holiday after the items were handed over.
    settings.RENDA_HOLIDAYS = ["2025-06-03"]
    assert deadlines_refresh() == 1
    open_item.refresh_from_db()
    closed_item.refresh_from_db()
    assert open_item.due_on == open_item.assignments.get().due_on == D(2025, 6, 4)
    assert closed_item.assignments.get().due_on == D(2025, 6, 3)
    assert deadlines_refresh() == 0


def test_the_daily_reminder_run_applies_a_corrected_calendar_first(make, users, settings):
    settings.RENDA_REMINDER_SENDER = "renda.suggestions.tests.test_deadlines.Recorder"
    Recorder.sent = []
    with time_machine.travel(at(D(2025, 3, 3)), tick=False):
        suggestion = make("assigned")
    settings.RENDA_HOLIDAYS = ["2025-06-03"]
    with time_machine.travel(at(D(2025, 6, 3)), tick=False):
        call_command("suggestion_reminders", stdout=io.StringIO())
    suggestion.refresh_from_db()
    assert suggestion.due_on == D(2025, 6, 4)
    assert [t for _u, _k, t in Recorder.sent] == ["还有1天到期：第18届第3次会议第001号"]


class Failing:
    """A gateway that is down."""

    def send(self, notification):
        raise ConnectionError("短信网关无响应")


@pytest.mark.parametrize(
    "sender, expected",
    [("Failing", "提醒共 1 条：已发送 0 条，发送失败 1 条"), ("Recorder", "提醒共 1 条：已发送 1 条")],
)
def test_the_command_reports_sent_and_failed_reminders_separately(make, users, sender, expected):
    """A failed delivery was counted as sent ("已发送提醒 17 条" with 9 failed): the report separates them."""
    with time_machine.travel(at(D(2025, 1, 31)), tick=False):
        suggestion = make("assigned")
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    out = io.StringIO()
    with (
        override_settings(RENDA_REMINDER_SENDER=f"renda.suggestions.tests.test_deadlines.{sender}"),
        time_machine.travel(at(D(2025, 4, 15), 7), tick=False),
    ):
        call_command("suggestion_reminders", stdout=out)
    assert out.getvalue().strip().startswith(expected), out.getvalue()
    if sender == "Failing":
        assert "已发送 1" not in out.getvalue()
