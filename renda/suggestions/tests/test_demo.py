"""The demo seeder: every state, the 2024 matched funds, and nothing new on a second run."""

import io

from django.db.models import Sum

from renda.accounts.models import User
from renda.organizations.models import Organization
from renda.suggestions import demo
from renda.suggestions.models import MicroFund, State, Suggestion


def test_demo_is_complete_and_idempotent(users, deputies, units, monkeypatch):
    monkeypatch.setattr(demo, "COUNT", 60)
    monkeypatch.setattr(demo, "SESSION_ITEMS", 12)
    Organization.objects.create(
        name="县住房和城乡建设局", kind=Organization.Kind.HANDLING_UNIT, region=units["transport"].region
    )
    out = io.StringIO()
    demo.seed(stdout=out)
    first = Suggestion.objects.count()
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states == set(State.values), set(State.values) - states
    assert Suggestion.objects.filter(is_key=True).exclude(key_leader="").count() >= 3
    assert Suggestion.objects.filter(rehandle_count__gt=0).exists()
    county_2024 = MicroFund.objects.filter(year=2024, source="county").aggregate(total=Sum("amount"))["total"]
    assert county_2024 == 558600
    # Every role's queue has something: co-unit input, returns, extensions, co-signing.
    from renda.core.queues import work_queues

    def count(user, key):
        return {q["key"]: q["count"] for q in work_queues(user)}[key]

    staff = users["county_staff"]
    assert count(staff, "suggestions.return_requests") >= 1
    assert count(staff, "suggestions.extension_requests") >= 1
    housing = User.objects.get(username=demo.UNIT_ACCOUNTS["县住房和城乡建设局"])
    assert count(housing, "suggestions.unit_co_input") >= 1
    assert count(users["deputy"], "suggestions.cosign_requests") == 1
    demo.seed(stdout=out)
    assert Suggestion.objects.count() == first
    assert "未重复创建" in out.getvalue()
