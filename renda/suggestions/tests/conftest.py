"""Fixtures of the suggestions tests: more handling units, and suggestions in any state."""

import pytest

from renda.organizations.models import Organization

from . import factories


@pytest.fixture
def units(regions, unit_org):
    made = {"transport": unit_org}
    for key, name in (("education", "县教育局"), ("health", "县卫生健康局")):
        made[key] = Organization.objects.create(
            name=name, kind=Organization.Kind.HANDLING_UNIT, region=regions["county"]
        )
    return made


@pytest.fixture
def make(users, deputies, units):
    """make(state, **kw) → a suggestion led by 王芳 (the `deputy` account) in that state."""

    def _make(state="draft", **kwargs):
        kwargs.setdefault("deputy", deputies["wang"])
        return factories.make(users=users, state=state, **kwargs)

    return _make


@pytest.fixture
def deputies(deputies, regions):
    """The shared deputies, serving in the county's 18th congress (who may lead and sign suggestions)."""
    from renda.deputies.services import congress_create, mandate_create

    congress = congress_create(level="county", region=regions["county"], term=18)
    for deputy in deputies.values():
        mandate_create(deputy=deputy, congress=congress)
    return deputies
