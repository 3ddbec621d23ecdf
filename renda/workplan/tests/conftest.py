"""Fixtures of the work-plan tests: the standing committee and its four work bodies, staff of two of
them, and a small plan built by hand."""

import pytest

from renda.accounts.services import user_create
from renda.conftest import PASSWORD
from renda.core.access import Role
from renda.organizations.models import Organization
from renda.workplan import services


@pytest.fixture
def bodies(regions):
    committee = Organization.objects.create(
        name="大方县人大常委会", kind=Organization.Kind.STANDING_COMMITTEE, region=regions["county"]
    )
    made = {"committee": committee}
    for key, name in (
        ("office", "办公室"),
        ("legal", "法制工作委员会"),
        ("budget", "预算工作委员会"),
        ("deputies", "代表工作委员会"),
    ):
        made[key] = Organization.objects.create(
            name=name, kind=Organization.Kind.WORK_BODY, region=regions["county"], parent=committee
        )
    return made


@pytest.fixture
def body_staff(regions, bodies):
    return {
        key: user_create(
            username=f"{key}_staff",
            password=PASSWORD,
            role=Role.COUNTY_STAFF,
            full_name=f"{key}",
            region=regions["county"],
            organization=bodies[key],
        )
        for key in ("legal", "budget", "office")
    }


@pytest.fixture
def plan(regions, bodies):
    plan = services.work_plan_create(
        year=2024,
        title="大方县人大常委会2024年工作要点",
        organization=bodies["committee"],
        region=regions["county"],
    )
    chapter = services.chapter_add(plan=plan, title="围绕中心大局，依法开展监督")
    legal = services.plan_item_add(
        plan=plan,
        chapter=chapter,
        text="听取审议县人民政府关于法治政府建设情况的报告",
        lead_body=bodies["legal"],
        co_bodies=[bodies["office"]],
        due_kind="month",
        due_month=6,
    )
    budget = services.plan_item_add(
        plan=plan,
        chapter=chapter,
        text="审查批准2023年县级财政决算",
        lead_body=bodies["budget"],
        due_kind="quarter",
        due_quarter=3,
    )
    return {"plan": plan, "chapter": chapter, "legal": legal, "budget": budget}
