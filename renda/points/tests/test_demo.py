"""The demo seeder on a small county: the 2024 scheme published, the ledger computed from the
records, four quarterly 公示 (the fourth open), objections; running it twice adds nothing."""

import datetime
import io

from renda.duty_records.services import duty_record_add
from renda.points import demo
from renda.points.models import Objection, Publication, Scheme, Standing


def test_demo_seed(members, users):
    wang = members["wang"]
    duty_record_add(
        deputy=wang, kind="suggestion", title="建议", occurred_on=datetime.date(2024, 3, 1),
        attributes={"stage": "submitted", "role": "lead"},
    )  # fmt: skip
    duty_record_add(
        deputy=wang,
        kind="training",
        title="培训",
        occurred_on=datetime.date(2024, 5, 1),
        quantity=20,
        unit="学时",
    )
    duty_record_add(deputy=wang, kind="absence", title="缺席", occurred_on=datetime.date(2024, 8, 1))
    demo.seed(stdout=io.StringIO())
    scheme = Scheme.objects.get(year=2024, state="published")
    # base 60 (served the whole year) − 5 absence + 3 lead suggestion + training 4 + 4 × 0.25 = 63.
    year = Standing.objects.get(scheme=scheme, deputy=wang, period="year")
    assert (year.total, year.grade) == (63, "一般")
    # li's own declarations (the demo adds them for deputies without an account) count once approved.
    li = Standing.objects.get(scheme=scheme, deputy=members["li"], period="year")
    assert li.total >= 60
    assert Publication.objects.filter(scheme=scheme).count() == 4
    assert Objection.objects.filter(state="open", deputy=wang).count() == 1
    assert Objection.objects.exclude(state="open").count() == 2
    demo.seed(stdout=io.StringIO())
    assert Scheme.objects.count() == 1 and Publication.objects.count() == 4
