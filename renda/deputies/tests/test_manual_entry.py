"""Manual entry: 新增代表 (person + first mandate in one transaction), 增加代表资格, 届次与选区,
and the purge of unconfirmed roster imports."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.deputies.models import Congress, Constituency, Deputy, Mandate, RosterImport
from renda.deputies.services import congress_create, constituency_create

from .conftest import make_id

ZHAO_ID = make_id("19860714", 21)  # odd sequence: a man


def _person(region: str = "520521105", **extra) -> dict:
    data = {
        "name": "赵　刚",
        "gender": "",
        "ethnicity": "彝族",
        "birth_month": "1986.07",
        "native_place": "贵州大方",
        "political_affiliation": "cpc",
        "education": "bachelor",
        "workplace": "黄泥塘镇中心小学 校长",
        "sector": "education",
        "id_number": ZHAO_ID,
        "phone": "139 0857 1234",
        "region": region,
    }
    data.update(extra)
    return data


def _audit(action: str, obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_id=str(obj.pk)))


# --- 新增代表 ---


def test_create_a_deputy_with_a_first_mandate_through_the_page(congresses, users, deputies, client):
    client.force_login(users["county_staff"])
    page = client.get("/deputies/new/").content.decode()
    assert "大方县第十八届人民代表大会" in page and "/pick/mandate-constituency/" in page
    assert "/pick/roster-township/" in page
    c41 = congresses["constituencies"]["第41选区"]
    # The township and the constituency are found by typing (pickers), the constituency within the
    # congress chosen beside it.
    found = client.get("/pick/roster-township/", {"q": "九驿", "field": "region"}).content.decode()
    assert "九驿街道（大方县）" in found
    found = client.get(
        "/pick/mandate-constituency/",
        {"q": "41", "field": "constituency", "congress": congresses["county"].pk},
    ).content.decode()
    assert f'value="{c41.pk}"' in found and "第41选区（大方县第十八届）" in found
    other = client.get(
        "/pick/mandate-constituency/",
        {"q": "41", "field": "constituency", "congress": congresses["township"].pk},
    ).content.decode()
    assert f'value="{c41.pk}"' not in other
    response = client.post(
        "/deputies/new/",
        _person(
            congress=str(congresses["county"].pk),
            constituency=str(c41.pk),
            delegation=" 黄泥塘镇 代表团",
            starts_on="2022-01-05",
        ),
    )
    deputy = Deputy.objects.get(name="赵刚")
    assert response.status_code == 302 and response["Location"] == f"/deputies/{deputy.pk}/"
    assert (deputy.gender, deputy.birth_month, deputy.id_number, deputy.phone) == (
        "male",
        datetime.date(1986, 7, 1),
        ZHAO_ID,
        "13908571234",
    )
    assert deputy.region.code == "520521105" and deputy.workplace == "黄泥塘镇中心小学 校长"
    mandate = Mandate.objects.get(deputy=deputy)
    assert (mandate.congress_id, mandate.constituency_id, mandate.delegation, mandate.starts_on) == (
        congresses["county"].pk,
        c41.pk,
        "黄泥塘镇 代表团",
        datetime.date(2022, 1, 5),
    )
    assert [e.actor_username for e in _audit("deputy.create", deputy)] == ["county_staff"]
    assert [e.actor_username for e in _audit("mandate.create", mandate)] == ["county_staff"]
    assert mandate.events.get().to_status == "serving"


def test_create_without_a_mandate_and_the_roster_button(users, deputies, client):
    client.force_login(users["township_staff"])
    assert "/deputies/new/" in client.get("/deputies/").content.decode()
    response = client.post(
        "/deputies/new/",
        _person(id_number="", gender="female", phone=""),
    )
    assert response.status_code == 302
    deputy = Deputy.objects.get(name="赵刚")
    assert deputy.gender == "female" and not deputy.mandates.exists() and deputy.id_number == ""
    client.force_login(users["leader"])  # may view the roster, may not change it
    body = client.get("/deputies/").content.decode()
    assert "/deputies/new/" not in body and "新增代表" not in body
    assert client.get("/deputies/new/").status_code == 404


def test_an_invalid_mandate_leaves_nothing_half_written(congresses, users, deputies, client):
    """The township congress's constituency with the county congress: the service refuses the mandate
    after the person was written, and the person is rolled back with it."""
    client.force_login(users["county_staff"])
    before = (Deputy.objects.count(), Mandate.objects.count(), AuditEntry.objects.count())
    response = client.post(
        "/deputies/new/",
        _person(
            congress=str(congresses["county"].pk),
            constituency=str(congresses["constituencies"]["township"].pk),
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"constituency": ["选区不属于该人民代表大会"]}
    assert "选区不属于该人民代表大会" in response.content.decode()
    assert (Deputy.objects.count(), Mandate.objects.count()) == before[:2]
    assert not Deputy.objects.filter(name="赵刚").exists()
    assert (
        not AuditEntry.objects.filter(action__in=["deputy.create", "mandate.create"])
        .exclude(object_id__in=[str(d.pk) for d in deputies.values()])
        .exists()
    )


def test_mandate_fields_without_a_congress_are_refused(congresses, users, deputies, client):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/new/", _person(delegation="黄泥塘镇代表团"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"congress": ["登记代表资格须选择届次"]}
    assert not Deputy.objects.filter(name="赵刚").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": ZHAO_ID[:17] + ("0" if ZHAO_ID[17] != "0" else "1")}, "id_number", "校验位错误"),
        ({"birth_month": "1987.07"}, "birth_month", "出生年月与身份证号码不符"),
        (
            {"id_number": "520521198003151224", "birth_month": "1980.03"},
            "id_number",
            "该身份证号码已登记为其他代表",
        ),
        ({"phone": "1390857"}, "phone", "电话号码格式不正确"),
        ({"birth_month": "1986.13"}, "birth_month", ""),
    ],
)
def test_bad_input_is_shown_next_to_its_field(users, deputies, client, change, field, message):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/new/", _person(**change))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in errors[field][0]
    body = response.content.decode()
    # rendered inside the field's own block, in Chinese
    assert f'id="id_{field}_error"' in body and errors[field][0] in body
    assert not Deputy.objects.filter(name="赵刚").exists()


def test_a_township_clerk_cannot_add_or_seat_a_deputy_in_another_township(
    congresses, seated, users, deputies, client
):
    client.force_login(users["township_staff"])  # 黄泥塘镇
    page = client.get("/deputies/new/").content.decode()
    assert "黄泥塘镇" in page and "九驿街道" not in page
    # Only the township's own congress: the county's is kept by the county staff (issue 13 §10).
    found = client.get("/pick/mandate-constituency/", {"q": "选区", "field": "constituency"}).content.decode()
    assert "第1选区" in found and "第41选区" not in found
    assert (
        "九驿街道"
        not in client.get("/pick/roster-township/", {"q": "街道", "field": "region"}).content.decode()
    )
    response = client.post("/deputies/new/", _person(region=deputies["li"].region.code))
    assert response.status_code == 400 and list(response.context["form"].errors) == ["region"]
    # nor the county congress (its 九驿街道 constituency least of all)
    response = client.post(
        "/deputies/new/",
        _person(
            congress=str(congresses["county"].pk),
            constituency=str(congresses["constituencies"]["第1选区"].pk),
        ),
    )
    assert response.status_code == 400 and "congress" in response.context["form"].errors
    assert not Deputy.objects.filter(name="赵刚").exists()
    li = deputies["li"]
    assert client.get(f"/deputies/{li.pk}/edit/").status_code == 404
    mandates = Mandate.objects.count()
    assert client.post(f"/deputies/{li.pk}/mandates/", {}).status_code == 404
    assert Mandate.objects.count() == mandates
    assert AuditEntry.objects.filter(
        action="access.denied", actor_username="township_staff", object_id=str(li.pk)
    ).exists()


# --- 增加代表资格 on the deputy's page ---


def test_add_a_mandate_on_the_detail_page(congresses, users, deputies, client):
    wang = deputies["wang"]
    client.force_login(users["township_staff"])
    assert "增加代表资格" in client.get(f"/deputies/{wang.pk}/").content.decode()
    township = congresses["township"]
    response = client.post(
        f"/deputies/{wang.pk}/mandates/",
        {
            "mandate-congress": str(township.pk),
            "mandate-constituency": str(congresses["constituencies"]["township"].pk),
        },
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(deputy=wang, congress=township)
    assert mandate.starts_on == township.starts_on and _audit("mandate.create", mandate)
    # a second mandate in the same congress is refused next to the congress field
    again = client.post(f"/deputies/{wang.pk}/mandates/", {"mandate-congress": str(township.pk)})
    assert again.status_code == 400
    assert again.context["mandate_form"].errors == {"congress": ["该代表在这一届人民代表大会已有代表资格"]}
    assert Mandate.objects.filter(deputy=wang).count() == 1
    client.force_login(users["leader"])
    assert "增加代表资格" not in client.get(f"/deputies/{wang.pk}/").content.decode()
    assert client.post(f"/deputies/{wang.pk}/mandates/", {}).status_code == 404


# --- 届次与选区 ---


def test_congress_page_lists_the_jurisdiction_in_few_queries(
    congresses, regions, users, client, django_assert_max_num_queries
):
    for term in range(10, 17):
        congress = congress_create(level="county", region=regions["county"], term=term)
        for n in range(1, 4):
            constituency_create(congress=congress, name=f"第{n}选区", number=n, region=regions["jiuyi"])
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(10):
        body = client.get("/deputies/congresses/").content.decode()
    assert "大方县第十八届人民代表大会" in body and "大方县第十届人民代表大会" in body
    assert "黄泥塘镇第十七届人民代表大会" in body and "新增届次" in body and "新增选区" in body
    client.force_login(users["jiuyi_staff"])  # 九驿街道 has no congress yet: nothing of others
    body = client.get("/deputies/congresses/").content.decode()
    assert "人民代表大会</h3>" not in body and "黄泥塘镇第十七届" not in body
    assert "新增选区" not in body and "新增届次" in body


def test_county_staff_add_a_county_congress_and_constituency(congresses, regions, users, client):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/congresses/new/", {"level": "county", "region": "520521", "term": "19"})
    assert response.status_code == 302
    congress = Congress.objects.get(region=regions["county"], term=19)
    assert congress.name == "大方县第十九届人民代表大会" and _audit("congress.create", congress)
    # a township congress is not the county staff's to add
    refused = client.post(
        "/deputies/congresses/new/", {"level": "township", "region": "520521105", "term": "18"}
    )
    assert refused.status_code == 400 and set(refused.context["congress_form"].errors) == {"level", "region"}
    response = client.post(
        "/deputies/congresses/constituencies/new/",
        {"c-congress": str(congress.pk), "c-name": "第 7 选区", "c-number": "7", "c-region": "520521004"},
    )
    assert response.status_code == 302
    constituency = Constituency.objects.get(congress=congress)
    assert (constituency.name, constituency.number, constituency.region.code) == ("第7选区", 7, "520521004")
    assert _audit("constituency.create", constituency)
    # not into the township's congress
    refused = client.post(
        "/deputies/congresses/constituencies/new/",
        {"c-congress": str(congresses["township"].pk), "c-name": "第9选区", "c-region": "520521105"},
    )
    assert refused.status_code == 400 and list(refused.context["constituency_form"].errors) == ["congress"]


def test_township_staff_manage_only_their_township_congress(congresses, regions, users, client):
    client.force_login(users["township_staff"])
    body = client.get("/deputies/congresses/").content.decode()
    assert "黄泥塘镇第十七届人民代表大会" in body and "<h3>大方县第十八届" not in body
    response = client.post(
        "/deputies/congresses/new/", {"level": "township", "region": "520521105", "term": "18"}
    )
    assert response.status_code == 302
    assert Congress.objects.get(region=regions["huangnitang"], term=18).name == "黄泥塘镇第十八届人民代表大会"
    refused = client.post("/deputies/congresses/new/", {"level": "county", "region": "520521", "term": "19"})
    assert refused.status_code == 400 and not Congress.objects.filter(term=19).exists()
    refused = client.post(
        "/deputies/congresses/constituencies/new/",
        {"c-congress": str(congresses["county"].pk), "c-name": "第50选区", "c-region": "520521105"},
    )
    assert refused.status_code == 400 and not Constituency.objects.filter(name="第50选区").exists()
    response = client.post(
        "/deputies/congresses/constituencies/new/",
        {"c-congress": str(congresses["township"].pk), "c-name": "第2选区", "c-region": "520521105002"},
    )
    assert response.status_code == 302
    assert Constituency.objects.get(congress=congresses["township"], name="第2选区").kind == "constituency"


# --- purge of unconfirmed imports ---


def test_roster_import_prune_deletes_only_stale_unconfirmed_imports(congresses, users, settings):
    settings.RENDA_ROSTER_IMPORT_RETENTION_HOURS = 72
    now = timezone.now()

    def make(state: str, hours_ago: float) -> RosterImport:
        batch = RosterImport.objects.create(
            owner=users["county_staff"],
            congress=congresses["county"],
            filename=f"{state}-{hours_ago}.xlsx",
            content="UEsDBA==",
            state=state,
        )
        RosterImport.objects.filter(pk=batch.pk).update(created_at=now - datetime.timedelta(hours=hours_ago))
        return batch

    stale = make(RosterImport.State.CHECKED, 73)
    fresh = make(RosterImport.State.CHECKED, 71)
    imported = make(RosterImport.State.IMPORTED, 200)
    checking = make(RosterImport.State.CHECKING, 200)
    failed = make(RosterImport.State.FAILED, 100)  # a failed import's file holds ID numbers too
    out = io.StringIO()
    call_command("roster_import_prune", stdout=out)
    assert "已删除 2 个" in out.getvalue()
    assert not RosterImport.objects.filter(pk=failed.pk).exists()
    assert set(RosterImport.objects.values_list("pk", flat=True)) == {fresh.pk, imported.pk, checking.pk}
    entries = _audit("roster_import.prune", stale)
    assert len(entries) == 1 and "checked-73.xlsx" in entries[0].detail
    settings.RENDA_ROSTER_IMPORT_RETENTION_HOURS = 70
    call_command("roster_import_prune", stdout=io.StringIO())
    assert not RosterImport.objects.filter(pk=fresh.pk).exists()


def test_every_field_error_shows_at_once(congresses, users, deputies, client):
    """The field report's four submits: an invisible name, a 17-digit ID number, a phone １２３ and 出生年月
    1980.13 are all named after one submit, and nothing is saved."""
    client.force_login(users["county_staff"])
    before = Deputy.objects.count()
    response = client.post(
        "/deputies/new/",
        _person(name="\u200b\u200b", id_number=ZHAO_ID[:17], phone="１２３", birth_month="1980.13"),
    )
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert {"name", "id_number", "phone", "birth_month"} <= set(errors), errors
    assert Deputy.objects.count() == before


def test_gender_and_birth_month_come_from_the_id_number_when_left_empty(congresses, users, deputies, client):
    client.force_login(users["county_staff"])
    response = client.post("/deputies/new/", _person(name="孙强", birth_month="", gender=""))
    assert response.status_code == 302
    deputy = Deputy.objects.get(name="孙强")
    assert (deputy.gender, deputy.birth_month) == ("male", datetime.date(1986, 7, 1))
