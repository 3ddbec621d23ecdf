"""The demo county that `make run` shows, seeded once for this module (seeding takes minutes).

`seed_demo` runs twice inside one transaction that this module's tests share and that is rolled back
at the end; each test runs in a savepoint of it, so what a test writes does not reach the next one.
The module's tests stay on one xdist worker (`make test` runs `--dist loadfile`).
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from renda.accounts.models import User
from renda.audit.models import AuditEntry
from renda.deputies.models import Congress, Contact, ContactAssignment, Deputy, ExternalRole, Mandate
from renda.guidance.models import GuidanceList, StationRule, TownshipItem, TownshipItemEvent

DEMO = [
    "admin",
    "security",
    "auditor",
    "county_staff",
    "township_staff",
    "station_keeper",
    "deputy",
    "unit",
    "leader",
]
HOME_NAV = {
    "admin": "账号管理",
    "security": "安全管理",
    "auditor": "审计日志",
    "county_staff": "代表名册",
    "township_staff": "代表名册",
    "station_keeper": "代表名册",
    "unit": "首页",
    "leader": "代表名册",
}


def _row_counts() -> dict[str, int]:
    """{app_label.Model: rows} for every concrete model."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """{"first": row counts after one seed, "again": after a second, "output": the second run's report}."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first = _row_counts()
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield {
            "first": first,
            "again": _row_counts(),
            "output": output.getvalue(),
            "audited": list(
                AuditEntry.objects.filter(pk__gt=last_entry).values_list(
                    "action", "object_type", "object_repr"
                )
            ),
        }
        transaction.set_rollback(True)


def test_seeding_twice_adds_and_changes_nothing(demo, db):
    changed = {
        label: (n, demo["again"][label])
        for label, n in demo["first"].items()
        if demo["again"][label] != n and label != "audit.AuditEntry"
    }
    assert changed == {}
    # Loading the region file is an administrator's action and is recorded each time; nothing else is.
    assert {action for action, *_ in demo["audited"]} <= {"regions.load"}, demo["audited"]
    assert "新增 0 人、代表资格 0 个" in demo["output"]


def test_every_demo_row_carries_its_jurisdiction_keys(demo, db):
    """Whatever seed_demo and the services under it write, deputies and constituencies carry their
    region's county/township codes (renda/regions/keys.py), which scope county and township users."""
    from renda.regions.keys import keyed_models, region_keys_drift

    assert Deputy.objects.filter(region__path__startswith="52/5205/520521/").exclude(county_code="").exists()
    for model in keyed_models():
        assert region_keys_drift(model) == [], model


def test_every_demo_account_signs_in_and_lands_on_its_home(demo, db, client, settings):
    assert User.objects.get(username="township_staff").region.name == "黄泥塘镇"
    assert User.objects.get(username="unit").organization.name == "县交通运输局"
    for username in DEMO:
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": settings.RENDA_DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, username
    for username, entry in HOME_NAV.items():
        client.logout()
        client.post("/accounts/login/", {"username": username, "password": settings.RENDA_DEMO_PASSWORD})
        page = client.get("/", follow=True)
        assert page.status_code == 200 and entry in page.content.decode(), username
    client.logout()
    client.post("/accounts/login/", {"username": "deputy", "password": settings.RENDA_DEMO_PASSWORD})
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/deputies/portal/"


def test_the_roster_has_every_level_and_the_demo_deputy(demo, db):
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


def test_the_network_through_the_api(demo, db, client):
    """The counts the network issue names: stations by kind, bodies and their members."""
    client.force_login(User.objects.get(username="county_staff"))

    def count(path, **params):
        response = client.get(path, params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count("/api/v1/stations", kind="township_station") == 29
    assert count("/api/v1/stations", kind="county_center") == 1
    assert count("/api/v1/stations", kind="industry_station") == 1
    assert (
        count("/api/v1/stations", kind="village_room") + count("/api/v1/stations", kind="deputies_home")
        == 115
    )
    assert count("/api/v1/stations", kind="legislative_station") == 1
    assert count("/api/v1/stations", kind="legislative_room") == 28
    legislative = client.get("/api/v1/stations", {"kind": "legislative_station"}).json()["items"][0]
    assert legislative["region_name"] == "九驿街道"
    demos = client.get("/api/v1/stations", {"demonstration": "city"}).json()["items"]
    assert sorted(d["name"] for d in demos) == ["西南社区代表之家", "黄泥塘镇人大代表联络站"]
    assert all(d["demonstrations"] == [{"level": "city", "year": 2024, "status": "building"}] for d in demos)
    # Every village-level point sits on a real village of the region data.
    rooms = client.get("/api/v1/stations", {"kind": "village_room", "limit": 200}).json()["items"]
    assert all(len(r["region_code"]) == 12 for r in rooms)

    assert count("/api/v1/bodies", kind="work_body") == 4
    assert count("/api/v1/bodies", kind="street_committee") == 4
    street_ids = [b["id"] for b in client.get("/api/v1/bodies", {"kind": "street_committee"}).json()["items"]]
    posts = {"director": 0, "member": 0, "staff": 0}
    for body_id in street_ids:
        body = client.get(f"/api/v1/bodies/{body_id}").json()
        assert body["duties"]["version"] == 1
        staff = [m for m in body["members"] if m["post"] == "staff"]
        assert len(staff) == 1
        for member in body["members"]:
            posts[member["post"]] += 1
    assert posts == {"director": 4, "member": 12, "staff": 4}
    for body in client.get("/api/v1/bodies", {"kind": "work_body"}).json()["items"]:
        assert client.get(f"/api/v1/bodies/{body['id']}").json()["duties"]["text"]

    # The demo keeper keeps 黄泥塘镇's station and sees it alone.
    client.force_login(User.objects.get(username="station_keeper"))
    data = client.get("/api/v1/stations").json()
    assert [s["name"] for s in data["items"]] == ["黄泥塘镇人大代表联络站"]
    assert client.get("/api/v1/reception-days").json()["count"] >= 1


def test_the_guidance_board_and_the_work_plan(demo, db, client):
    """The 2024 guidance board and the 2024 work plan, through the API and the pages."""
    guidance = GuidanceList.objects.get(year=2024)
    assert guidance.townships.count() == 29 and guidance.groups.count() == 4
    client.force_login(User.objects.get(username="leader"))
    board = client.get(f"/api/v1/guidance/lists/{guidance.pk}/board").json()
    assert len(board["rows"]) == 29
    statuses = {c["status"] for row in board["rows"] for c in row["cells"] if c["status"]}
    # A year on, what was sent back or left in progress is overdue; the states are still there.
    assert {"done", "not_applicable", "reported", "overdue"} <= statuses
    assert {"accepted", "reported", "returned", "in_progress", "open"} <= set(
        TownshipItem.objects.values_list("state", flat=True)
    )
    earlier = client.get(f"/api/v1/guidance/lists/{guidance.pk}/board", {"as_of": "2024-03-01"}).json()
    assert earlier["rate"] == 0.0 and earlier["overdue"] == 0
    assert 40 < board["rate"] < 90
    actions = set(TownshipItemEvent.objects.values_list("action", flat=True))
    assert actions == {"report", "accept", "send_back"}
    assert client.get(f"/guidance/{guidance.pk}/board/").status_code == 200

    # The demo township account reports to the demo leader's group and has work left.
    staff = User.objects.get(username="township_staff")
    client.force_login(staff)
    items = client.get(f"/api/v1/guidance/lists/{guidance.pk}/townships/520521105/items").json()
    assert {"open", "returned"} <= {i["state"] for i in items}

    demo_rules = StationRule.objects.filter(station__demonstrations__isnull=False, posted=True).count()
    assert demo_rules == 8  # the four rules at each of the two demonstration stations

    client.force_login(User.objects.get(username="leader"))
    plans = client.get("/api/v1/workplans").json()["items"]
    assert [p["title"] for p in plans] == ["大方县人大常委会2024年工作要点"]
    plan = client.get(f"/api/v1/workplans/{plans[0]['id']}").json()
    bodies = {i["lead_body"] for i in plan["items"]}
    assert bodies == {"办公室", "法制工作委员会", "预算工作委员会", "代表工作委员会"}
    assert plan["figures"]["late"] >= 3
    assert client.get("/api/v1/workplans/late-items").json()["count"] == plan["figures"]["late"]
    assert client.get(f"/workplan/{plans[0]['id']}/").status_code == 200


def test_the_dossier_batch_of_a_demo_township_is_a_job_with_progress_and_a_streamed_zip_of_pdfs(
    demo, db, client, django_capture_on_commit_callbacks
):
    """Issue 10: the batch of dossier PDFs runs as a background job with progress and gives a zip of
    PDFs written to a temporary file one PDF at a time. The whole congress (300 deputies) takes too
    long for the suite, so one township of the county congress: the same job, the same path."""
    import os
    import zipfile
    from unittest import mock

    from django.db.models import Count

    from renda.dossier import batch
    from renda.jobs.models import Job
    from renda.jobs.services import job_file_bytes, job_progress
    from renda.regions.models import Region

    congress = Congress.objects.get(level="county", region__code="520521", term=18)
    per_township = (
        Mandate.objects.filter(congress=congress, deputy__region__level="township")
        .values("deputy__region")
        .annotate(n=Count("deputy", distinct=True))
    )
    # The township closest to 8 deputies: enough for progress to pass through values between.
    chosen = min(per_township, key=lambda row: (abs(row["n"] - 8), row["deputy__region"]))
    township = Region.objects.get(pk=chosen["deputy__region"])
    assert chosen["n"] >= 3
    paths, sizes = [], []
    make_path, build = batch.temp_path, batch._build

    def remembered_path(suffix):
        paths.append(make_path(suffix))
        return paths[-1]

    def measured_build(deputy):
        sizes.append(os.path.getsize(paths[-1]))  # what the zip on disk held before this PDF
        return build(deputy)

    client.force_login(User.objects.get(username="county_staff"))
    with (
        mock.patch("renda.jobs.services.job_progress", wraps=job_progress) as progress,
        mock.patch.object(batch, "temp_path", remembered_path),
        mock.patch.object(batch, "_build", measured_build),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/dossier/batch/", {"congress": congress.pk, "region": township.code})
    job = Job.objects.filter(kind="dossier.batch").latest("created_at")
    assert response.status_code == 302 and job.state == Job.State.SUCCEEDED, job.message
    assert job.result["count"] == chosen["n"]
    percents = [call.kwargs["percent"] for call in progress.call_args_list if "percent" in call.kwargs]
    between = [p for p in percents if 1 < p < 95]
    assert len(between) >= chosen["n"] - 1 and between == sorted(between)
    # Streamed: the file on disk grew before each next PDF was built, and was removed at the end.
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert not os.path.exists(paths[-1])
    archive = zipfile.ZipFile(io.BytesIO(job_file_bytes(job)))
    names = archive.namelist()
    assert len(names) == chosen["n"] and all(n.endswith(".pdf") for n in names)
    assert all(archive.read(n).startswith(b"%PDF-") for n in names)
