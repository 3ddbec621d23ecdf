"""Keys that do not match the data are refused at start-up; rotate_keys moves every protected value to
new keys in batches and resumes after an interruption."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from renda.core import crypto
from renda.core.keycheck import verify_keys
from renda.core.models import KeyCheck, KeyRotation
from renda.deputies.models import Deputy
from renda.deputies.selectors import deputy_list
from renda.deputies.services import deputy_create
from renda.deputies.tests.conftest import make_id
from renda.opinions.models import Opinion

OLD_FIELD, OLD_INDEX = "00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"
NEW_FIELD, NEW_INDEX = "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "a0b1c2d3e4f5061728394a5b6c7d8e9f"


@pytest.fixture
def keys(settings):
    """Use explicit keys; `use(field, index)` switches them as a restarted process would."""

    def use(field: str, index: str) -> None:
        settings.RENDA_FIELD_KEY, settings.RENDA_INDEX_KEY = field, index
        crypto._key.cache_clear()

    use(OLD_FIELD, OLD_INDEX)
    yield use
    crypto._key.cache_clear()


def raw_id_numbers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM deputies_deputy ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_the_first_start_writes_a_key_check_and_later_starts_verify_it(keys, db):
    assert verify_keys() == "created"
    assert verify_keys() == "ok"
    keys(NEW_FIELD, OLD_INDEX)
    with pytest.raises(ImproperlyConfigured, match="RENDA_FIELD_KEY 与数据库中已加密的数据不匹配"):
        verify_keys()
    keys(OLD_FIELD, NEW_INDEX)
    with pytest.raises(ImproperlyConfigured, match="RENDA_INDEX_KEY 与数据库中的盲索引不匹配"):
        verify_keys()


def test_an_installation_without_a_key_check_is_tested_against_its_data(keys, regions):
    deputy_create(name="王芳", gender="female", region=regions["huangnitang"], id_number="520521198003151224")
    keys(NEW_FIELD, OLD_INDEX)
    with pytest.raises(ImproperlyConfigured, match="RENDA_FIELD_KEY"):
        verify_keys()
    assert not KeyCheck.objects.exists()  # nothing written under the wrong key


def test_the_worker_refuses_to_start_with_the_wrong_key(keys, db):
    verify_keys()
    keys(NEW_FIELD, OLD_INDEX)
    from renda.jobs.management.commands.job_worker import Command

    options = {"queue_name": "default", "interval": 0, "batch": True, "backend_name": "default"}
    options |= {"startup_delay": False, "reload": False, "max_tasks": None}
    options |= {"worker_id": "w", "exclude_queues": ""}
    with pytest.raises(ImproperlyConfigured):
        Command(stdout=io.StringIO()).handle(verbosity=0, **options)


def _people(regions, count=5):
    for n in range(count):
        deputy_create(
            name=f"代表{n}",
            gender="male",
            region=regions["huangnitang"],
            id_number=make_id("19800315", 101 + 2 * n),
            phone=f"1381234567{n}",
        )


def test_rotate_keys_in_batches_resumes_and_leaves_everything_readable(
    keys, regions, users, monkeypatch, settings
):
    _people(regions)
    from renda.network.models import Station
    from renda.opinions.services import opinion_submit_public

    station = Station.objects.create(name="联络站", kind="township_station", region=regions["huangnitang"])
    settings.RENDA_OPINION_RATE_LIMIT = 100
    opinion_submit_public(
        station=station, content="意见", constituent_phone="13900001111", client_ip="1.2.3.4"
    )
    verify_keys()
    before = raw_id_numbers()
    monkeypatch.setenv("RENDA_NEW_FIELD_KEY", NEW_FIELD)
    monkeypatch.setenv("RENDA_NEW_INDEX_KEY", NEW_INDEX)

    out = io.StringIO()
    call_command("rotate_keys", "--batch-size", "2", "--max-batches", "2", stdout=out)  # interrupted
    assert "暂停" in out.getvalue()
    progress = KeyRotation.objects.get(model_label="deputies.Deputy")
    assert progress.rows_done == 4 and not progress.finished
    moved = raw_id_numbers()
    assert [a != b for a, b in zip(before, moved, strict=True)] == [True, True, True, True, False]

    out = io.StringIO()
    call_command("rotate_keys", "--batch-size", "2", stdout=out)  # resumed
    assert "deputies.Deputy: 5/5 行" in out.getvalue() and "密钥轮换完成" in out.getvalue()
    assert not KeyRotation.objects.exists()
    assert raw_id_numbers()[:4] == moved[:4]  # rows done before the interruption were not redone

    keys(NEW_FIELD, NEW_INDEX)
    assert verify_keys() == "ok"
    assert {d.phone for d in Deputy.objects.all()} == {f"1381234567{n}" for n in range(5)}
    assert Opinion.objects.get().constituent_phone == "13900001111"
    assert [d.name for d in deputy_list(user=users["county_staff"], q=make_id("19800315", 103))] == ["代表1"]
    keys(OLD_FIELD, OLD_INDEX)
    with pytest.raises(ImproperlyConfigured):
        verify_keys()


def test_a_resumed_rotation_with_other_new_keys_is_refused(keys, regions, monkeypatch):
    _people(regions, 3)
    monkeypatch.setenv("RENDA_NEW_FIELD_KEY", NEW_FIELD)
    call_command("rotate_keys", "--batch-size", "1", "--max-batches", "1", stdout=io.StringIO())
    monkeypatch.setenv("RENDA_NEW_FIELD_KEY", "11" * 16)
    with pytest.raises(CommandError, match="另一组新密钥"):
        call_command("rotate_keys", stdout=io.StringIO())


def test_rotate_keys_wants_new_keys_from_the_environment(keys, db, monkeypatch):
    monkeypatch.delenv("RENDA_NEW_FIELD_KEY", raising=False)
    monkeypatch.delenv("RENDA_NEW_INDEX_KEY", raising=False)
    with pytest.raises(CommandError, match="环境变量"):
        call_command("rotate_keys", stdout=io.StringIO())
    monkeypatch.setenv("RENDA_NEW_FIELD_KEY", "not-hex")
    with pytest.raises(ImproperlyConfigured, match="RENDA_NEW_FIELD_KEY"):
        call_command("rotate_keys", stdout=io.StringIO())
