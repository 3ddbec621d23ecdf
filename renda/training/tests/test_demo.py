"""The demo seeders of training, department cooperation and the media column, on the small test
county: they run, are idempotent, and leave what the README promises."""

import datetime
import io

import pytest

from renda.cooperation import demo as cooperation_demo
from renda.cooperation.models import ActivityProposal
from renda.deputies.models import ExternalRole
from renda.deputies.services import external_role_add
from renda.duty_records.models import DutyRecord
from renda.media_column import demo as media_demo
from renda.media_column.models import Article
from renda.organizations.models import Organization
from renda.training import demo as training_demo
from renda.training.models import TrainingPlan, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_seeders(serving, users, regions, client):
    market = Organization.objects.create(
        name="县市场监管局", kind=Organization.Kind.HANDLING_UNIT, region=regions["county"]
    )
    external_role_add(
        deputy=serving["li"],
        kind=ExternalRole.Kind.DEPARTMENT_APPOINTMENT,
        title="行风政风监督员",
        organization=market,
        starts_on=datetime.date(2023, 3, 15),
        ends_on=datetime.date(2024, 3, 14),
    )
    out = io.StringIO()
    for _ in range(2):
        training_demo.seed(stdout=out)
        cooperation_demo.seed(stdout=out)
        media_demo.seed(stdout=out)
    plan = TrainingPlan.objects.get()
    assert plan.year == 2024 and plan.state == "published" and plan.items.count() == 5
    titles = set(TrainingSession.objects.values_list("title", flat=True))
    assert {
        "大方县人大代表履职能力提升专题培训班",
        "赴兴义市考察学习代表联络站建设",
        "2024年基层立法联络工作能力培训班",
    } <= titles
    fudan = TrainingSession.objects.get(title="大方县人大代表履职能力提升专题培训班")
    assert fudan.days.count() == 5 and fudan.state == "closed"
    assert DutyRecord.objects.filter(kind="training", deputy=serving["wang"]).count() >= 3
    assert ActivityProposal.objects.filter(organization=market).count() == 2
    assert Article.objects.filter(state="published").count() == 4
    assert client.get("/news/").status_code == 200
    client.force_login(users["deputy"])
    assert "履职培训" in client.get("/deputies/portal/").content.decode()
