"""Department cooperation: a department sees the deputies it appointed, proposes a supervision
activity with them only, and county staff confirm or decline; scoping in pages and API."""

import datetime

import pytest
from django.utils import timezone

from renda.activities.models import Activity
from renda.cooperation import services
from renda.cooperation.models import ActivityProposal
from renda.core.errors import DomainError, InvalidTransition
from renda.deputies.models import ExternalRole
from renda.deputies.services import external_role_add
from renda.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(regions):
    return Organization.objects.create(
        name="县市场监管局", kind=Organization.Kind.HANDLING_UNIT, region=regions["county"]
    )


@pytest.fixture
def appointed(deputies, unit_org, market):
    """王芳 appointed by the user `unit`'s department (县交通运输局); 李明 by 县市场监管局; an ended
    appointment of 李明 by 县交通运输局."""
    start = datetime.date(2023, 1, 1)
    kind = ExternalRole.Kind.DEPARTMENT_APPOINTMENT
    external_role_add(
        deputy=deputies["wang"], kind=kind, title="行风政风监督员", organization=unit_org, starts_on=start
    )
    external_role_add(
        deputy=deputies["li"], kind=kind, title="行风政风监督员", organization=market, starts_on=start
    )
    external_role_add(
        deputy=deputies["li"],
        kind=kind,
        title="特邀监督员",
        organization=unit_org,
        starts_on=start,
        ends_on=datetime.date(2023, 12, 31),
    )
    return deputies


def _times():
    start = timezone.now() + datetime.timedelta(days=7)
    return start, start + datetime.timedelta(hours=3)


def test_department_sees_only_its_current_appointees(appointed, users, client):
    client.force_login(users["unit"])
    page = client.get("/cooperation/").content.decode()
    assert "王芳" in page and "李明" not in page and "行风政风监督员" in page
    api = client.get("/api/v1/cooperation/appointed").json()
    assert [r["name"] for r in api["items"]] == ["王芳"]


def test_propose_confirm_cycle(appointed, users, unit_org, client):
    start, end = _times()
    client.force_login(users["unit"])
    response = client.post(
        "/cooperation/propose/",
        {
            "title": "道路运输行业行风政风监督",
            "agenda": "检查客运站安全与服务",
            "place": "大方县客运站",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            "deputies": [appointed["wang"].pk],
        },
    )
    assert response.status_code == 302
    proposal = ActivityProposal.objects.get()
    assert proposal.organization == unit_org and proposal.state == "proposed"
    # Another department's account and township staff do not see it.
    client.force_login(users["township_staff"])
    assert client.get(f"/cooperation/proposals/{proposal.pk}/").status_code == 404
    client.force_login(users["county_staff"])
    listing = client.get("/cooperation/proposals/").content.decode()
    assert "道路运输行业行风政风监督" in listing
    response = client.post(f"/cooperation/proposals/{proposal.pk}/", {"decision": "decline", "note": ""})
    assert response.status_code == 400 and "不采纳时请填写理由" in response.content.decode()
    response = client.post(f"/cooperation/proposals/{proposal.pk}/", {"decision": "confirm", "note": "同意"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "confirmed" and proposal.decided_by == users["county_staff"]
    # The confirmed proposal is now an activity of the department, with its deputy invited.
    activity = Activity.objects.get(pk=proposal.activity_ref)
    assert activity.kind == Activity.Kind.SUPERVISION and activity.organizer == unit_org
    assert [i.deputy for i in activity.invitations.all()] == [appointed["wang"]]
    with pytest.raises(InvalidTransition):
        services.proposal_decide(actor=users["county_staff"], proposal=proposal, confirm=False, note="晚了")


def test_only_appointed_deputies_can_be_invited(appointed, users, unit_org):
    start, end = _times()
    with pytest.raises(DomainError) as exc:
        services.proposal_create(
            actor=users["unit"],
            organization=unit_org,
            title="监督",
            agenda="内容",
            place="地点",
            starts_at=start,
            ends_at=end,
            deputies=[appointed["li"]],  # appointed by 县市场监管局, and 县交通运输局's appointment ended
        )
    assert exc.value.field == "deputies" and "李明" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.proposal_create(
            actor=users["unit"],
            organization=unit_org,
            title="监督",
            agenda="内容",
            place="地点",
            starts_at=end,
            ends_at=start,
            deputies=[appointed["wang"]],
        )
    assert exc.value.field == "ends_at"
    assert not ActivityProposal.objects.exists()


def test_api_propose_and_scoping(appointed, users, client):
    start, end = _times()
    client.force_login(users["unit"])
    payload = {
        "title": "监督",
        "agenda": "内容",
        "place": "地点",
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "deputy_ids": [appointed["li"].pk],
    }
    response = client.post("/api/v1/cooperation/proposals", payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == {"field": "deputy_ids"}
    payload["deputy_ids"] = [appointed["wang"].pk]
    response = client.post("/api/v1/cooperation/proposals", payload, content_type="application/json")
    assert response.status_code == 201
    assert client.get("/api/v1/cooperation/proposals").json()["count"] == 1
    for username in ("deputy", "township_staff"):
        client.force_login(users[username])
        assert client.get("/api/v1/cooperation/proposals").status_code == 404
        assert client.get("/cooperation/").status_code == 404


def test_pages_query_counts(appointed, users, unit_org, client, django_assert_max_num_queries):
    start, end = _times()
    for n in range(10):
        services.proposal_create(
            actor=users["unit"],
            organization=unit_org,
            title=f"监督{n}",
            agenda="内容",
            place="地点",
            starts_at=start,
            ends_at=end,
            deputies=[appointed["wang"]],
        )
    client.force_login(users["unit"])
    with django_assert_max_num_queries(10):
        assert client.get("/cooperation/").status_code == 200
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(8):
        assert client.get("/cooperation/proposals/").status_code == 200
