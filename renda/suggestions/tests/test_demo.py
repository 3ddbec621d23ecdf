"""The demo seeder: every state, the 2024 matched funds, and nothing new on a second run."""

import io

from django.db.models import Sum

from renda.suggestions import demo
from renda.suggestions.models import MicroFund, State, Suggestion


def test_demo_is_complete_and_idempotent(users, deputies, units, monkeypatch):
    monkeypatch.setattr(demo, "COUNT", 60)
    monkeypatch.setattr(demo, "SESSION_ITEMS", 12)
    out = io.StringIO()
    demo.seed(stdout=out)
    first = Suggestion.objects.count()
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states == set(State.values), set(State.values) - states
    assert Suggestion.objects.filter(is_key=True).exclude(key_leader="").count() >= 3
    assert Suggestion.objects.filter(rehandle_count__gt=0).exists()
    county_2024 = MicroFund.objects.filter(year=2024, source="county").aggregate(total=Sum("amount"))["total"]
    assert county_2024 == 558600
    demo.seed(stdout=out)
    assert Suggestion.objects.count() == first
    assert "未重复创建" in out.getvalue()
