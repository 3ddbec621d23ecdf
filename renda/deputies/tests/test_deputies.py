"""Deputies: validated writes, masked personal data everywhere, audited reveals."""

import pytest

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError
from renda.deputies.models import Deputy
from renda.deputies.services import deputy_create, deputy_update


def test_name_padding_is_removed(deputies):
    assert deputies["wang"].name == "王芳"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "520521198003151225", "校验位"),
        ("id_number", "520521198003151", "18位"),
        ("phone", "12345", "电话号码格式不正确"),
        ("name", "　 ", "姓名不能为空"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(regions, field, value, message):
    data = {"name": "张三", "gender": "female", "region": regions["jiuyi"], field: value}
    with pytest.raises(DomainError) as info:
        deputy_create(**data)
    assert info.value.field == field and message in info.value.message
    assert not Deputy.objects.exists()


def test_id_number_gender_must_match(regions):
    with pytest.raises(DomainError, match="性别"):
        deputy_create(name="张三", gender="male", region=regions["jiuyi"], id_number="520521198003151224")


def test_the_same_id_number_cannot_be_two_deputies(deputies, regions):
    with pytest.raises(DomainError, match="已登记"):
        deputy_create(name="重复", gender="female", region=regions["jiuyi"], id_number="520521198003151224")
    with pytest.raises(DomainError, match="已登记"):
        deputy_update(deputy=deputies["li"], data={"id_number": "520521198003151224", "gender": "female"})


def test_detail_page_shows_masked_values_only(deputies, users, client):
    client.force_login(users["county_staff"])
    body = client.get(f"/deputies/{deputies['wang'].pk}/").content.decode()
    assert "520521********1224" in body and "138****5678" in body
    assert "520521198003151224" not in body and "13812345678" not in body


def test_list_page_and_api_mask_personal_data(deputies, users, client):
    client.force_login(users["county_staff"])
    body = client.get("/deputies/").content.decode()
    assert "520521********1224" in body and "520521198003151224" not in body
    items = client.get("/api/v1/deputies").json()["items"]
    assert {i["id_number"] for i in items} == {"520521********1224", "520521********107X"}
    assert "13812345678" not in str(items)


def test_reveal_is_permitted_to_staff_and_audited(deputies, users, client):
    wang = deputies["wang"]
    client.force_login(users["county_staff"])
    response = client.post(f"/deputies/{wang.pk}/reveal/id_number/")
    assert response.status_code == 200 and "520521198003151224" in response.content.decode()
    entry = AuditEntry.objects.get(action="personal_data.reveal")
    assert entry.actor_username == "county_staff" and entry.object_id == str(wang.pk)
    assert entry.detail == "field=id_number" and entry.ip == "127.0.0.1"
    api = client.post(f"/api/v1/deputies/{wang.pk}/reveal/phone")
    assert api.json() == {"field": "phone", "value": "13812345678"}


@pytest.mark.parametrize(
    "username", ["leader", "station_keeper", "jiuyi_staff", "deputy", "auditor", "admin"]
)
def test_reveal_is_denied_like_not_found(deputies, users, client, username):
    client.force_login(users[username])
    assert client.post(f"/deputies/{deputies['wang'].pk}/reveal/id_number/").status_code == 404
    assert client.post(f"/api/v1/deputies/{deputies['wang'].pk}/reveal/id_number").status_code == 404
    assert not AuditEntry.objects.filter(action="personal_data.reveal").exists()


def test_unknown_field_cannot_be_revealed(deputies, users, client):
    client.force_login(users["county_staff"])
    assert client.post(f"/deputies/{deputies['wang'].pk}/reveal/password/").status_code == 404


def test_search_by_name_and_region(deputies, users, client):
    client.force_login(users["county_staff"])
    body = client.get("/deputies/", {"q": "李"}).content.decode()
    assert "李明" in body and "王芳" not in body
    data = client.get("/api/v1/deputies", {"region_code": "520521105"}).json()
    assert data["count"] == 1 and data["items"][0]["name"] == "王芳"


def test_portal_shows_the_deputys_own_record_and_takes_a_declaration(deputies, users, client):
    client.force_login(users["deputy"])
    page = client.get("/deputies/portal/")
    assert (
        page.status_code == 200 and "王芳" in page.content.decode() and "138****5678" in page.content.decode()
    )
    response = client.post(
        "/deputies/portal/", {"kind": "contact", "title": "走访黄泥塘社区", "occurred_on": "2026-01-10"}
    )
    assert response.status_code == 302
    record = deputies["wang"].duty_records.get()
    assert record.origin == "declared" and record.review_state == "pending"
    future = client.post("/deputies/portal/", {"kind": "contact", "title": "x", "occurred_on": "2099-01-01"})
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
