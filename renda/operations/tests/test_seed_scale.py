"""seed_scale at a small size: deterministic for a seed, every suggestion state, counts near the
parameters, scoping intact, refusals. Two counties of 贵阳市 (a slice of the divisions CSV) keep it fast.

Each seeding runs in a savepoint that is rolled back, so two runs in one test see the same empty
database (row ids are chosen from the table's current maximum, so they match too).
"""

import csv
import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from renda.accounts.models import User
from renda.deputies.models import Congress, Deputy, Mandate
from renda.deputies.selectors import deputy_list
from renda.duty_records.models import DutyRecord
from renda.network.models import Station
from renda.operations.management.commands.seed_demo import DIVISIONS
from renda.operations.scale import DEMO_COUNTY, Sizes, seed_scale
from renda.opinions.models import Opinion
from renda.points.models import LedgerEntry, Scheme, Standing
from renda.regions.keys import keyed_models, region_keys_drift
from renda.regions.models import Region
from renda.regions.services import regions_load_csv
from renda.suggestions.models import State, Suggestion, SuggestionEvent

UNTIL = datetime.date(2026, 6, 30)
SIZES = {
    "counties": 2,
    "deputies": 400,
    "duty_records": 3000,
    "suggestions": 150,
    "opinions": 100,
    "years": 3,
}
COUNTIES = ("520102", "520103")


class _Undo(Exception):
    """Raised to roll a seeding back."""


def _load_divisions() -> None:
    """The province, 贵阳市, its first two districts with their townships and villages, and 大方县's
    line of parents (the county seed_scale always leaves to seed_demo)."""
    keep = ("52", "5201", "5205", DEMO_COUNTY)
    with DIVISIONS.open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["code"] in keep or r["code"].startswith(COUNTIES)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["code", "name", "level", "parent_code"])
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    regions_load_csv(stream=out)


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """A small province seeded twice with seed 7 (the first run rolled back): {"first", "again"}
    fingerprints. The second stays for this module's tests (each in a savepoint), then is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        _load_divisions()
        first = _seed_and_undo(7)
        seed_scale(seed=7, sizes=Sizes.build(**SIZES), until=UNTIL)
        yield {"first": first, "again": _fingerprint()}
        transaction.set_rollback(True)


def _fingerprint() -> dict:
    digest = hashlib.sha256()
    for name, code, stroke in Deputy.objects.order_by("pk").values_list("name", "region__code", "stroke_key"):
        digest.update(f"{name}|{code}|{stroke}\n".encode())
    for title, state, number in Suggestion.objects.order_by("pk").values_list("title", "state", "number"):
        digest.update(f"{title}|{state}|{number}\n".encode())
    for kind, title, day in DutyRecord.objects.order_by("pk").values_list("kind", "title", "occurred_on"):
        digest.update(f"{kind}|{title}|{day}\n".encode())
    return {
        "checksum": digest.hexdigest(),
        "deputies": Deputy.objects.count(),
        "mandates": Mandate.objects.count(),
        "records": DutyRecord.objects.count(),
        "suggestions": Suggestion.objects.count(),
        "events": SuggestionEvent.objects.count(),
        "opinions": Opinion.objects.count(),
        "stations": Station.objects.count(),
        "ledger": LedgerEntry.objects.count(),
    }


def _seed_and_undo(seed: int) -> dict:
    result = {}
    try:
        with transaction.atomic():
            seed_scale(seed=seed, sizes=Sizes.build(**SIZES), until=UNTIL)
            result = _fingerprint()
            raise _Undo
    except _Undo:
        return result


def test_the_same_seed_gives_the_same_province(province, db):
    assert province["first"] == province["again"]
    assert province["first"]["deputies"] == SIZES["deputies"]


def test_a_small_province_has_every_part(province, db):
    assert Deputy.objects.count() == SIZES["deputies"]
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(State.values)
    assert Suggestion.objects.count() == SIZES["suggestions"]
    assert Opinion.objects.count() == SIZES["opinions"]
    records = DutyRecord.objects.count()
    assert abs(records - SIZES["duty_records"]) <= SIZES["duty_records"] * 0.1, records
    # Real ciphertexts that decrypt, with their blind indexes: a deputy is found by ID number.
    deputy = Deputy.objects.order_by("pk").first()
    assert len(deputy.id_number) == 18 and deputy.phone.startswith("1")
    staff = User.objects.get(username=f"scale_staff_{deputy.region.code[:6]}")
    assert list(deputy_list(user=staff, q=deputy.id_number)) == [deputy]
    # Congresses at every level, the demo county left alone, the points computed by the points app.
    levels = set(Congress.objects.values_list("level", flat=True))
    assert levels == {"provincial", "city", "county", "township"}
    assert not Congress.objects.filter(region__code=DEMO_COUNTY).exists()
    assert Scheme.objects.filter(state="published").count() == len(COUNTIES)
    assert LedgerEntry.objects.exists() and Standing.objects.exists()
    # Numbers run per county congress without gaps.
    for congress_id in Suggestion.objects.values_list("congress_id", flat=True).distinct():
        numbers = sorted(
            Suggestion.objects.filter(congress_id=congress_id, kind="suggestion", session=1)
            .exclude(number=None)
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))


def test_every_scale_row_carries_its_jurisdiction_keys(province, db):
    """seed_scale writes deputies and constituencies by COPY / prepared INSERT, not save(): the writer
    (operations/bulk.py) sets their county/township codes from their regions (renda/regions/keys.py)."""
    assert Deputy.objects.exclude(township_code="").count() >= SIZES["deputies"] // 2
    for model in keyed_models():
        assert region_keys_drift(model) == [], model


def test_a_county_clerk_sees_only_their_county(province, db):
    for code in COUNTIES:
        staff = User.objects.get(username=f"scale_staff_{code}")
        county = Region.objects.get(code=code)
        seen = deputy_list(user=staff)
        assert seen.exists()
        assert not seen.exclude(region__path__startswith=county.path).exists()
        assert seen.count() == Deputy.objects.filter(region__path__startswith=county.path).count()


def test_refuses_a_database_that_has_scale_data(province, db):
    with pytest.raises(CommandError, match="已有规模数据"):
        call_command("seed_scale", "--counties", "1", "--scale", "0.001", stdout=io.StringIO())


def test_refuses_in_production(settings):
    settings.RENDA_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_scale", stdout=io.StringIO())


def test_scale_suggestions_store_the_facts_the_statistics_count(province, db):
    """seed_scale writes suggestions by COPY, not through the services: it fills the facts the
    statistics read (first reply on time, latest reply category, latest evaluation result) as the
    services would, equal to a recomputation from its reply and evaluation rows."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    from renda.suggestions.stats import recomputed_facts

    rows = recomputed_facts(Suggestion.objects.all()).annotate(
        reply_category=Coalesce("last_category", Value("")), result_=Coalesce("last_result", Value(""))
    )
    expected = sorted(rows.values_list("pk", "first_on_time", "reply_category", "result_"))
    stored = sorted(
        Suggestion.objects.values_list(
            "pk", "first_reply_on_time", "last_reply_category", "last_evaluation_result"
        )
    )
    assert stored == expected
    assert Suggestion.objects.exclude(last_evaluation_result="").exists()
