"""The deputies' demo data: sizes, the deputy account's person, idempotence and speed."""

import io
import time
from pathlib import Path

import pytest
from django.conf import settings

from renda.accounts.services import user_create
from renda.audit.models import AuditEntry
from renda.deputies import demo
from renda.deputies.models import Congress, Contact, ContactAssignment, Deputy, ExternalRole, Mandate
from renda.regions.models import Region
from renda.regions.services import regions_load_csv


@pytest.fixture
def county(db):
    """大方县 with its townships and villages (and the province and city above it) from the real data."""
    source = Path(settings.BASE_DIR) / "data" / "divisions-guizhou.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [
        line for line in lines[1:] if line.split(",")[0] in ("52", "5205") or line.startswith("520521")
    ]
    regions_load_csv(stream=io.StringIO("\n".join(keep) + "\n"))
    county = Region.objects.get(code="520521")
    accounts = (
        ("county_staff", "county_staff", "陈立新", county),
        ("deputy", "deputy", "王芳", None),
        ("leader", "leader", "张国华", county),
    )
    return {
        username: user_create(
            username=username, password="Renda#2024x", role=role, full_name=name, region=region
        )
        for username, role, name, region in accounts
    }


def test_seed_builds_the_county_and_is_idempotent(county):
    out = io.StringIO()
    started = time.perf_counter()
    demo.seed(stdout=out)
    first = time.perf_counter() - started
    levels = {
        level: Mandate.objects.filter(congress__level=level).count()
        for level in ("provincial", "city", "county", "township")
    }
    assert levels == {"provincial": 3, "city": 12, "county": 300, "township": 1500}
    assert Congress.objects.filter(level="township").count() == 25  # streets have no congress of their own
    assert Congress.objects.get(level="county").name == "大方县第十八届人民代表大会"
    wang = Deputy.objects.get(user__username="deputy")
    assert wang.name == "王芳" and wang.region.name == "黄泥塘镇"
    assert {m.congress.level for m in wang.mandates.all()} == {"county", "township"}
    both = Deputy.objects.filter(mandates__congress__level="county").filter(
        mandates__congress__level="township"
    )
    assert 100 <= both.count() <= 150  # about half the county deputies of a town sit in its congress too
    assert Deputy.objects.filter(name__regex=r"^.{2}$").count() > 100  # two-character names
    assert Mandate.objects.exclude(status="serving").count() == 3
    assert (
        ExternalRole.objects.exists()
        and ContactAssignment.objects.filter(member__username="leader").count() == 6
    )
    assert Contact.objects.filter(deputy=wang, kind="constituent").count() == 3
    counts = (
        Deputy.objects.count(),
        Mandate.objects.count(),
        Contact.objects.count(),
        AuditEntry.objects.count(),
    )

    started = time.perf_counter()
    demo.seed(stdout=out)
    again = time.perf_counter() - started
    assert (
        Deputy.objects.count(),
        Mandate.objects.count(),
        Contact.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert again < first / 5
    assert "新增 0 人、代表资格 0 个" in out.getvalue().splitlines()[-1]
