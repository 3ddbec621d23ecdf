"""The facts stored on a suggestion for the statistics (first reply on time, latest reply category,
latest evaluation result) equal what the reply and evaluation rows say, on random histories written
through the services, and the migration's set-based backfill computes the same from the rows."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.suggestions.stats import recomputed_facts
from renda.suggestions.tests import factories

TZ = ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2025, 1, 10, 10, tzinfo=TZ)
backfill = importlib.import_module("renda.suggestions.migrations.0008_stored_facts").backfill

# One round: the reply's delay in days after the hand-over or the re-handling (the first deadline is
# three months, the re-handling one about a month: both sides of each), its category, and the
# deputy's evaluation (None: not evaluated yet, the history stops there).
ROUND = st.tuples(
    st.integers(min_value=5, max_value=130),
    st.sampled_from("ABCD"),
    st.sampled_from([None, "satisfied", "basic", "dissatisfied"]),
)
HISTORY = st.lists(ROUND, min_size=0, max_size=2)


def stored():
    return sorted(
        Suggestion.objects.values_list(
            "pk", "first_reply_on_time", "last_reply_category", "last_evaluation_result"
        )
    )


def recomputed():
    rows = recomputed_facts(Suggestion.objects.all()).annotate(
        reply_category=Coalesce("last_category", Value("")), result_=Coalesce("last_result", Value(""))
    )
    return sorted(rows.values_list("pk", "first_on_time", "reply_category", "result_"))


def _play(suggestion, history, users, unit_user, deputy_user):
    moment = START
    for delay, category, result in history:
        moment += datetime.timedelta(days=delay)
        with time_machine.travel(moment, tick=False):
            services.contact_add(
                actor=unit_user,
                suggestion=suggestion,
                contacted_on=moment.date(),
                way="phone",
                content="电话沟通办理情况",
            )
            services.reply_submit(
                actor=unit_user, suggestion=suggestion, category=category, text="答复", signer="局长"
            )
        if result is None:
            return
        moment += datetime.timedelta(days=3)
        with time_machine.travel(moment, tick=False):
            services.evaluation_submit(
                actor=users["county_staff"],
                suggestion=suggestion,
                result=result,
                attitude="satisfied",
                comment="未解决" if result == "dissatisfied" else "",
            )
        suggestion.refresh_from_db()
        if suggestion.state != "rehandling":
            return


@given(histories=st.lists(HISTORY, min_size=1, max_size=3))
@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_stored_facts_equal_the_replies_and_evaluations(users, deputies, units, histories):
    with transaction.atomic():
        for history in histories:
            with time_machine.travel(START, tick=False):
                suggestion = factories.make(
                    users=users, deputy=deputies["wang"], state="assigned", lead_unit=units["transport"]
                )
                services.assignment_accept(actor=users["unit"], suggestion=suggestion)
            _play(suggestion, history, users, users["unit"], deputies["wang"].user)
            assert stored() == recomputed()
        # The migration's backfill writes the same facts from the rows alone.
        expected = stored()
        Suggestion.objects.update(first_reply_on_time=None, last_reply_category="", last_evaluation_result="")
        backfill(apps, None)
        assert stored() == expected
        transaction.set_rollback(True)
