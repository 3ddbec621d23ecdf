"""Pages: scoping, masking for roles without reveal, filters, query counts, portal, 双联系, mandates."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.deputies.models import Contact, Deputy, Mandate
from renda.deputies.selectors import deputy_list
from renda.deputies.services import (
    contact_assignment_add,
    deputy_create,
    external_role_add,
    mandate_create,
)
from renda.duty_records.models import DutyRecord

WANG_ID, WANG_PHONE = "520521198003151224", "13812345678"
LI_ID = "52052119750308107X"


def _names(body: str) -> list[str]:
    return re.findall(r'<a class="strong" href="/deputies/\d+/">([^<]+)</a>', body)


# --- scoping ---


def test_township_user_sees_only_their_township_and_a_deputy_only_themselves(seated, users, client):
    assert [d.name for d in deputy_list(user=users["township_staff"])] == ["王芳"]
    assert [d.name for d in deputy_list(user=users["jiuyi_staff"])] == ["李明"]
    assert [d.name for d in deputy_list(user=users["county_staff"])] == [
        "王芳",
        "李明",
    ]  # 王 (4) before 李 (7)
    assert [d.name for d in deputy_list(user=users["deputy"])] == ["王芳"]
    client.force_login(users["township_staff"])
    assert _names(client.get("/deputies/").content.decode()) == ["王芳"]
    assert client.get(f"/deputies/{seated['li_county'].deputy_id}/").status_code == 404
    assert client.get("/api/v1/deputies").json()["count"] == 1
    assert client.get(f"/api/v1/deputies/mandates/{seated['li_county'].pk}").status_code == 404
    mandates = client.get("/api/v1/deputies/mandates").json()
    assert {m["deputy_name"] for m in mandates["items"]} == {"王芳"} and mandates["count"] == 2


def test_a_deputy_sees_only_their_own_contacts_and_mandates_in_the_api(seated, users, client):
    client.force_login(users["deputy"])
    assert client.get("/api/v1/deputies").status_code == 404  # the roster is not for deputies
    contacts = client.get("/api/v1/deputies/contacts").json()
    assert contacts["items"] == [] and contacts["count"] == 0
    response = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "method": "visit", "occurred_on": "2025-01-10", "topics": "走访"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["deputy_name"] == "王芳"
    # A deputy cannot log for another deputy: the deputy_id is ignored, it is always themselves.
    other = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "deputy_id": seated["li_county"].deputy_id, "method": "call",
         "occurred_on": "2025-01-11", "topics": "电话"},
        content_type="application/json",
    )  # fmt: skip
    assert other.json()["deputy_name"] == "王芳"
    assert client.get("/api/v1/deputies/contacts").json()["count"] == 2


# --- masking ---


@pytest.mark.parametrize("username", ["leader", "station_keeper"])
def test_roles_without_reveal_see_masks_in_html_and_api(seated, users, client, username):
    client.force_login(users[username])
    for path in ("/deputies/", f"/deputies/{seated['wang_county'].deputy_id}/"):
        body = client.get(path).content.decode()
        assert "520521********1224" in body and "138****5678" in body, path
        assert WANG_ID not in body and WANG_PHONE not in body, path
        assert "查看完整" not in body  # no reveal buttons
    api = (
        client.get("/api/v1/deputies").content.decode()
        + client.get(f"/api/v1/deputies/{seated['wang_county'].deputy_id}").content.decode()
    )
    assert WANG_ID not in api and WANG_PHONE not in api and LI_ID not in api
    assert "520521********1224" in api


def test_staff_see_masks_too_until_they_reveal(seated, users, client):
    client.force_login(users["county_staff"])
    body = client.get(f"/deputies/{seated['wang_county'].deputy_id}/").content.decode()
    assert WANG_ID not in body and "查看完整身份证号码" in body


# --- filters and order ---


@pytest.fixture
def roster(seated, congresses, regions):
    """Two more county deputies with sectors, one of them resigned."""
    c = congresses["constituencies"]
    zhang = deputy_create(name="张国强", gender="male", region=regions["huangnitang"], sector="health")
    ding = deputy_create(name="丁　宁", gender="female", region=regions["huangnitang"], sector="agriculture")
    mandate_create(deputy=zhang, congress=congresses["county"], constituency=c["第42选区"])
    gone = mandate_create(deputy=ding, congress=congresses["county"], constituency=c["第42选区"])
    Mandate.objects.filter(pk=gone.pk).update(status="resigned")
    return {"zhang": zhang, "ding": ding}


@pytest.mark.parametrize(
    "params, names",
    [
        ({}, ["丁宁", "王芳", "李明", "张国强"]),
        ({"order": "pinyin"}, ["丁宁", "李明", "王芳", "张国强"]),
        ({"level": "township"}, ["王芳"]),
        ({"level": "county", "township": "520521105"}, ["丁宁", "王芳", "张国强"]),
        ({"sector": "health"}, ["张国强"]),
        ({"status": "resigned"}, ["丁宁"]),
        ({"q": "国强"}, ["张国强"]),
        ({"q": "52052119750308107x"}, ["李明"]),
    ],
)
def test_roster_filters(roster, users, client, params, names):
    client.force_login(users["county_staff"])
    assert _names(client.get("/deputies/", params).content.decode()) == names
    if "q" in params and params["q"][:6].isdigit():
        # An ID number travels in a POST body, never in the query string (issue 13 §6).
        assert client.get("/api/v1/deputies", params).status_code == 422
        api = client.post(
            "/api/v1/deputies/search", {"id_number": params["q"]}, content_type="application/json"
        ).json()
    else:
        api = client.get("/api/v1/deputies", params).json()
    assert [i["name"] for i in api["items"]] == names


def test_filter_by_congress_and_constituency(roster, congresses, users, client):
    client.force_login(users["county_staff"])
    county, c42 = congresses["county"], congresses["constituencies"]["第42选区"]
    page = client.get("/deputies/", {"congress": county.pk}).content.decode()
    assert _names(page) == ["丁宁", "王芳", "李明", "张国强"]
    assert f'<option value="{c42.pk}">第42选区</option>' in page  # the constituencies of the chosen congress
    assert _names(
        client.get("/deputies/", {"congress": county.pk, "constituency": c42.pk}).content.decode()
    ) == [
        "丁宁",
        "张国强",
    ]
    partial = client.get(
        "/deputies/", {"congress": county.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="constituency-field" hx-swap-oob="true"' in partial and "<html" not in partial


def test_filter_by_station_when_the_network_app_links_deputies(seated, users, client, regions):
    network = pytest.importorskip("renda.network.models")
    if not hasattr(network, "StationedDeputy"):
        pytest.skip("the network app does not assign deputies to stations")
    station = network.Station.objects.create(
        name="黄泥塘镇代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    network.StationedDeputy.objects.create(
        station=station, deputy=seated["wang_county"].deputy, term="第十八届"
    )
    client.force_login(users["county_staff"])
    page = client.get("/deputies/", {"station": station.pk}).content.decode()
    assert _names(page) == ["王芳"] and "黄泥塘镇代表联络站" in page


def test_roster_page_query_count_does_not_grow(
    seated, congresses, users, regions, client, django_assert_max_num_queries
):
    client.force_login(users["county_staff"])
    client.get("/deputies/")
    for i in range(40):
        deputy = deputy_create(name=f"测试{i}", gender="male", region=regions["huangnitang"])
        mandate_create(
            deputy=deputy,
            congress=congresses["county"],
            constituency=congresses["constituencies"]["第41选区"],
        )
    with django_assert_max_num_queries(12):
        response = client.get("/deputies/", {"congress": congresses["county"].pk})
    assert response.status_code == 200 and response.content.decode().count("大方县第十八届·第41选区") == 29


# --- detail page: mandates, roles, assignments ---


def test_detail_shows_mandates_history_and_roles(seated, users, client, unit_org):
    wang = seated["wang_county"].deputy
    external_role_add(deputy=wang, kind="policy_publicist", starts_on=datetime.date(2022, 3, 1))
    client.force_login(users["leader"])
    body = client.get(f"/deputies/{wang.pk}/").content.decode()
    assert "大方县第十八届人民代表大会" in body and "黄泥塘镇第十七届人民代表大会" in body
    assert "第41选区" in body and "黄泥塘镇代表团" in body and "政策法规宣传员" in body
    assert "变更代表资格状态" not in body and "添加兼任职务" not in body  # leaders only read


def test_staff_change_a_mandate_status_through_the_page(seated, users, client):
    mandate = seated["wang_county"]
    # The county's congress is kept by the county staff (issue 13 §10).
    client.force_login(users["county_staff"])
    page = client.get(f"/deputies/{mandate.deputy_id}/").content.decode()
    assert "变更代表资格状态" in page
    refused = client.post(
        f"/deputies/mandates/{mandate.pk}/transition/",
        {
            f"m{mandate.pk}-to_status": "resigned",
            f"m{mandate.pk}-occurred_on": "2024-06-27",
            f"m{mandate.pk}-reason": "",
        },
    )
    assert refused.status_code == 400 and "请填写原因" in refused.content.decode()
    done = client.post(
        f"/deputies/mandates/{mandate.pk}/transition/",
        {f"m{mandate.pk}-to_status": "resigned", f"m{mandate.pk}-occurred_on": "2024-06-27",
         f"m{mandate.pk}-reason": "本人书面辞职"},
    )  # fmt: skip
    assert done.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == "resigned" and mandate.status_reason == "本人书面辞职"
    assert "2024年6月27日" in client.get(f"/deputies/{mandate.deputy_id}/").content.decode()
    client.force_login(users["jiuyi_staff"])  # another township: not found
    assert client.post(f"/deputies/mandates/{mandate.pk}/transition/", {}).status_code == 404


def test_staff_edit_a_deputy_and_upload_a_photo(seated, users, client):
    wang = seated["wang_county"].deputy
    client.force_login(users["county_staff"])
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    response = client.post(
        f"/deputies/{wang.pk}/edit/",
        {"name": "王　芳", "gender": "female", "ethnicity": "苗族", "birth_month": "1980年3月",
         "workplace": "卫生院院长", "sector": "health",
         "photo": SimpleUploadedFile("me.png", png, content_type="image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    wang.refresh_from_db()
    assert (
        wang.ethnicity == "苗族" and wang.birth_month == datetime.date(1980, 3, 1) and wang.sector == "health"
    )
    assert client.get(f"/deputies/{wang.pk}/photo/").status_code == 200
    client.force_login(users["jiuyi_staff"])
    assert client.get(f"/deputies/{wang.pk}/photo/").status_code == 404
    client.force_login(users["county_staff"])
    bad = client.post(
        f"/deputies/{wang.pk}/edit/",
        {"name": "王芳", "gender": "female", "birth_month": "1981.03",
         "photo": SimpleUploadedFile("x.png", b"GIF89a", content_type="image/png")},
    )  # fmt: skip
    assert bad.status_code == 400 and "出生年月与身份证号码不符" in bad.content.decode()
    photo = client.post(
        f"/deputies/{wang.pk}/edit/",
        {"name": "王芳", "gender": "female", "ethnicity": "彝族",
         "photo": SimpleUploadedFile("x.png", b"GIF89a", content_type="image/png")},
    )  # fmt: skip
    assert photo.status_code == 400 and "照片须为 JPG 或 PNG 图片" in photo.content.decode()
    wang.refresh_from_db()
    assert wang.ethnicity == "苗族"  # nothing saved when the photo is refused


def test_staff_assign_committee_members(seated, users, client):
    wang = seated["wang_county"].deputy
    client.force_login(users["county_staff"])
    response = client.post(f"/deputies/{wang.pk}/assignments/", {"member": users["leader"].pk})
    assert response.status_code == 302
    liaison = client.get("/deputies/liaison/").content.decode()
    assert "leader" in liaison and "不足 5 名" in liaison
    client.force_login(users["township_staff"])  # may log and see, not assign
    assert client.post(f"/deputies/{wang.pk}/assignments/", {"member": users["leader"].pk}).status_code == 404


# --- 双联系 for the committee member ---


def test_member_logs_a_contact_with_an_assigned_deputy(seated, users, client):
    wang = seated["wang_county"].deputy
    leader = users["leader"]
    contact_assignment_add(member=leader, deputy=wang, starts_on=datetime.date(2022, 1, 1))
    client.force_login(leader)
    page = client.get("/deputies/liaison/").content.decode()
    assert "我联系的代表（1 名）" in page and "联系代表不足 5 名" in page
    response = client.post(
        "/deputies/liaison/",
        {"counterpart": wang.pk, "method": "visit", "occurred_on": "2025-02-01", "topics": "走访听取意见"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.kind, contact.member, contact.initiator) == ("committee", leader, "member")
    assert DutyRecord.objects.get(deputy=wang).source_id == str(contact.pk)
    # Only assigned deputies can be chosen.
    other = client.post(
        "/deputies/liaison/",
        {
            "counterpart": seated["li_county"].deputy_id,
            "method": "visit",
            "occurred_on": "2025-02-01",
            "topics": "x",
        },
    )
    assert other.status_code == 400 and Contact.objects.count() == 1


# --- the portal ---


def test_portal_logs_a_constituent_contact_and_shows_progress(seated, users, client, settings):
    settings.RENDA_CONSTITUENT_CONTACTS_PER_YEAR = 4
    client.force_login(users["deputy"])
    page = client.get("/deputies/portal/").content.decode()
    assert "已联系选民 0 次，年度目标 4 次" in page and "大方县第十八届人民代表大会" in page
    assert "520521********1224" in page and WANG_ID not in page and WANG_PHONE not in page
    response = client.post(
        "/deputies/portal/contact/",
        {"method": "visit", "occurred_on": datetime.date.today().isoformat(), "place": "黄泥塘社区",
         "people_count": "6", "topics": "村组道路硬化", "opinions": "希望年内完工"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/deputies/portal/#contact"
    page = client.get("/deputies/portal/").content.decode()
    assert "已联系选民 1 次，年度目标 4 次" in page and 'value="25"' in page
    assert "走访联系选民：村组道路硬化" in page
    record = DutyRecord.objects.get(deputy=seated["wang_county"].deputy)
    assert record.kind == "contact" and record.review_state == "approved"
    bad = client.post(
        "/deputies/portal/contact/", {"method": "visit", "occurred_on": "2099-01-01", "topics": ""}
    )
    assert bad.status_code == 400 and "日期不能晚于今天" in bad.content.decode()


def test_portal_committee_contact_only_with_an_assigned_member(seated, users, client):
    client.force_login(users["deputy"])
    assert "与常委会组成人员联系" not in client.get("/deputies/portal/").content.decode()
    contact_assignment_add(member=users["leader"], deputy=seated["wang_county"].deputy)
    assert "与常委会组成人员联系" in client.get("/deputies/portal/").content.decode()
    response = client.post(
        "/deputies/portal/committee/",
        {"c-counterpart": users["leader"].pk, "c-method": "written",
         "c-occurred_on": datetime.date.today().isoformat(), "c-topics": "反映集镇停车难"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Contact.objects.get().initiator == "deputy"


def test_portal_shows_stations_and_next_reception_days_when_the_network_app_has_them(
    seated, users, client, regions
):
    network = pytest.importorskip("renda.network.models")
    if not hasattr(network, "StationedDeputy") or not hasattr(network, "ReceptionDay"):
        pytest.skip("the network app has no station assignment or reception days")
    station = network.Station.objects.create(
        name="黄泥塘镇代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    network.StationedDeputy.objects.create(
        station=station, deputy=seated["wang_county"].deputy, term="第十八届"
    )
    soon = datetime.date.today() + datetime.timedelta(days=3)
    network.ReceptionDay.objects.create(station=station, held_on=soon, state="scheduled")
    network.ReceptionDay.objects.create(
        station=station, held_on=soon - datetime.timedelta(days=30), state="held"
    )
    client.force_login(users["deputy"])
    page = client.get("/deputies/portal/").content.decode()
    assert "黄泥塘镇代表联络站" in page and f"{soon.year}年{soon.month}月{soon.day}日" in page
    assert page.count("近期接待日") == 1


def test_portal_without_network_data_still_works(seated, users, client, monkeypatch):
    from renda.deputies import selectors

    monkeypatch.setattr(selectors, "_network_model", lambda name: None)
    client.force_login(users["deputy"])
    page = client.get("/deputies/portal/")
    assert page.status_code == 200 and "我的联络站" not in page.content.decode()


def test_portal_query_count(seated, users, client, django_assert_max_num_queries):
    client.force_login(users["deputy"])
    client.get("/deputies/portal/")
    # The portal itself (session, user, deputy, mandates, stations, contacts, records) plus one or two
    # queries per section other apps register: work queues (3), activities (3), training (4).
    with django_assert_max_num_queries(20):
        assert client.get("/deputies/portal/").status_code == 200


# --- pages each role may use ---

PAGES = {
    "/deputies/imports/new/": {"county_staff", "township_staff", "jiuyi_staff"},
    "/deputies/liaison/": {"county_staff", "township_staff", "jiuyi_staff", "leader"},
    "/deputies/imports/sample/": {"county_staff", "township_staff", "jiuyi_staff"},
}


@pytest.mark.parametrize("path", PAGES)
def test_page_permission_grid(path, users, client):
    for username, user in users.items():
        client.force_login(user)
        expected = 200 if username in PAGES[path] else 404
        assert client.get(path).status_code == expected, (path, username)


def test_export_is_refused_to_roles_without_it(users, client):
    for username in ("deputy", "station_keeper", "unit", "admin"):
        client.force_login(users[username])
        assert client.post("/deputies/export/").status_code == 404


def test_deputies_unchanged_by_reading(seated, users, client):
    client.force_login(users["county_staff"])
    before = list(Deputy.objects.values_list("updated_at", flat=True))
    client.get("/deputies/")
    assert list(Deputy.objects.values_list("updated_at", flat=True)) == before


def test_liaison_page_query_count(seated, users, regions, client, django_assert_max_num_queries):
    leader = users["leader"]
    for i in range(8):
        deputy = deputy_create(name=f"联系{i}", gender="male", region=regions["huangnitang"])
        contact_assignment_add(member=leader, deputy=deputy, starts_on=datetime.date(2022, 1, 1))
    for username in ("leader", "county_staff"):
        client.force_login(users[username])
        client.get("/deputies/liaison/")
        with django_assert_max_num_queries(10):
            assert client.get("/deputies/liaison/").status_code == 200


def test_only_the_deputy_or_the_assigned_member_log_contacts_through_the_pages(
    seated, users, other_leaders, client
):
    wang = seated["wang_county"].deputy
    contact_assignment_add(member=other_leaders["leader2"], deputy=wang, starts_on=datetime.date(2022, 1, 1))
    today = datetime.date.today().isoformat()
    client.force_login(users["leader"])  # not assigned to 王芳, not her
    for path, data in (
        ("/deputies/portal/contact/", {"method": "visit", "occurred_on": today, "topics": "x"}),
        ("/deputies/portal/committee/", {"c-counterpart": users["leader"].pk, "c-method": "visit",
                                         "c-occurred_on": today, "c-topics": "x"}),
    ):  # fmt: skip
        assert client.post(path, data).status_code == 404
    refused = client.post(
        "/deputies/liaison/", {"counterpart": wang.pk, "method": "visit", "occurred_on": today, "topics": "x"}
    )
    assert refused.status_code == 400
    client.force_login(other_leaders["leader2"])  # the assigned member
    made = client.post(
        "/deputies/liaison/",
        {"counterpart": wang.pk, "method": "visit", "occurred_on": today, "topics": "走访"},
    )
    assert made.status_code == 302
    client.force_login(users["deputy"])  # 王芳 herself
    made = client.post(
        "/deputies/portal/contact/",
        {"method": "call", "occurred_on": today, "people_count": "1", "topics": "电话"},
    )
    assert made.status_code == 302
    assert list(
        Contact.objects.order_by("id").values_list("kind", "member__username", "logged_by__username")
    ) == [
        ("committee", "leader2", "leader2"),
        ("constituent", None, "deputy"),
    ]
    assert DutyRecord.objects.filter(deputy=wang).count() == 2


# --- choice lists stay within the jurisdiction ---


def test_external_role_organisations_are_those_of_the_jurisdiction(
    seated, users, client, unit_org, other_county, regions
):
    from renda.organizations.models import Organization

    wang = seated["wang_county"].deputy
    far = Organization.objects.create(
        name="七星关区市场监督管理局", kind="handling_unit", region=other_county
    )
    town = Organization.objects.create(
        name="黄泥塘镇人民政府", kind="handling_unit", region=regions["huangnitang"]
    )
    jiuyi = Organization.objects.create(name="九驿街道办事处", kind="handling_unit", region=regions["jiuyi"])
    client.force_login(users["township_staff"])
    page = client.get(f"/deputies/{wang.pk}/").content.decode()
    # The county's own units (the county above the township) and the township's, no other county's.
    assert town.name in page and unit_org.name in page
    assert far.name not in page and jiuyi.name not in page
    data = {"kind": "enforcement_monitor", "title": "执法监督员", "starts_on": "2025-01-01"}
    refused = client.post(f"/deputies/{wang.pk}/roles/", {**data, "organization": far.pk})
    assert refused.status_code == 400 and not wang.external_roles.exists()
    made = client.post(f"/deputies/{wang.pk}/roles/", {**data, "organization": unit_org.pk})
    assert made.status_code == 302 and wang.external_roles.get().organization == unit_org


def test_committee_members_are_those_of_the_jurisdiction(seated, users, other_leaders, client):
    wang = seated["wang_county"].deputy
    far = other_leaders["far_leader"]
    client.force_login(users["county_staff"])
    page = client.get(f"/deputies/{wang.pk}/").content.decode()
    assert f'value="{users["leader"].pk}"' in page and f'value="{far.pk}"' not in page
    assert "far_leader" not in client.get("/deputies/liaison/").content.decode()
    refused = client.post(f"/deputies/{wang.pk}/assignments/", {"member": far.pk})
    assert refused.status_code == 400 and not wang.contact_assignments.exists()
    client.force_login(users["township_staff"])  # the county's members are still listed for a township
    liaison = client.get("/deputies/liaison/").content.decode()
    assert "leader2" in liaison and "far_leader" not in liaison


def test_portal_links_to_every_open_feature_and_promises_none(seated, users, client):
    """The portal's 更多 lists links to what works (suggestions, activities, points), never 即将开放."""
    client.force_login(users["deputy"])
    page = client.get("/deputies/portal/").content.decode()
    assert "即将开放" not in page
    for url in ("/suggestions/mine/", "/activities/mine/", "/points/mine/"):
        assert f'href="{url}"' in page, url
        assert client.get(url).status_code == 200, url
