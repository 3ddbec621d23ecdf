"""Pages: scoping by role (staff in their jurisdiction, a deputy their own, a denial is a 404),
query counts of the standings pages, ranks with ties, 公示 as .xlsx, objections."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.duty_records.services import duty_record_add
from renda.points.models import Objection, Standing
from renda.points.publications import objection_raise, objection_resolve, publication_create
from renda.points.selectors import repeated_conditions, standing_list
from renda.points.services import points_adjust, scheme_copy, scheme_import, scheme_publish

from .conftest import SHAPE_B, SHAPE_C, YEAR


@pytest.fixture
def scheme(congress, members):
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_B))
    duty_record_add(
        deputy=members["wang"], kind="suggestion", title="建议", occurred_on=datetime.date(YEAR, 2, 1)
    )
    return scheme


def test_staff_see_their_jurisdiction_and_deputies_their_own(scheme, members, users, login):
    client = login(users["county_staff"])
    url = reverse("points:standings", args=[scheme.pk]) + "?period=year&index=1"
    page = client.get(url).content.decode()
    assert "王芳" in page.replace("　", "") and "李明" in page
    page = login(users["township_staff"]).get(url).content.decode()
    assert "李明" not in page and "62.00" in page
    # Another township's deputy's ledger is "not found".
    assert (
        login(users["township_staff"])
        .get(reverse("points:ledger", args=[scheme.pk, members["li"].pk]))
        .status_code
        == 404
    )
    deputy = login(users["deputy"])
    assert deputy.get(url).status_code == 404
    mine = deputy.get(reverse("points:mine") + f"?year={YEAR}").content.decode()
    assert "62.00" in mine and "乙地积分办法" in mine
    assert login(users["unit"]).get(reverse("points:mine")).status_code == 404


def test_standings_page_reads_precomputed_rows_in_constant_queries(
    scheme, make_member, users, login, django_assert_max_num_queries
):
    client = login(users["county_staff"])
    url = reverse("points:standings", args=[scheme.pk]) + "?period=quarter&index=1"
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for i in range(12):
        make_member(f"代表{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("points:ledger") == 0


def test_ties_share_a_rank(scheme, members, make_member, users):
    third = make_member("孙丽", township="jiuyi")
    duty_record_add(deputy=third, kind="suggestion", title="建议", occurred_on=datetime.date(YEAR, 2, 3))
    rows = list(standing_list(user=users["county_staff"], scheme=scheme, period="year", index=1))
    assert [(r.total, r.rank) for r in rows] == [
        (Decimal("62.00"), 1),
        (Decimal("62.00"), 1),
        (Decimal("60.00"), 3),
    ]
    assert rows[2].deputy == members["li"]
    # Within 九驿街道 li and 孙丽: 孙丽 first, li second (congress rank 3).
    jiuyi = list(
        standing_list(
            user=users["county_staff"], scheme=scheme, period="year", index=1, township_id=third.region_id
        )
    )
    assert [(r.rank, r.congress_rank) for r in jiuyi] == [(1, 1), (2, 3)]


def test_publication_workbook_and_objections(scheme, members, users, login):
    today = timezone.localdate()
    publication = publication_create(
        actor=users["county_staff"], scheme=scheme, period="quarter", index=1, order="rank",
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=6),
    )  # fmt: skip
    response = login(users["county_staff"]).get(reverse("points:publication_xlsx", args=[publication.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "2025年第一季度履职积分公示" in sheet["A1"].value
    assert "第1版" in sheet["A2"].value and "公示期" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:2] == ["名次", "姓名"]
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert [sheet.cell(row=4, column=1).value, sheet.cell(row=4, column=7).value] == [1, 62.0]
    # The public page is off unless chosen.
    assert (
        login(users["deputy"]).get(reverse("points:publication_public", args=[publication.pk])).status_code
        == 404
    )
    # The deputy objects during the 公示期; staff resolve it.
    client = login(users["deputy"])
    client.post(
        reverse("points:objection_create", args=[publication.pk]), {"kind": "missing", "text": "3月视察漏记"}
    )
    objection = Objection.objects.get()
    assert (objection.deputy, objection.state) == (members["wang"], "open")
    login(users["county_staff"]).post(
        reverse("points:objection_resolve", args=[objection.pk]), {"upheld": "1", "outcome": "已补记视察记录"}
    )
    objection.refresh_from_db()
    assert objection.state == "upheld" and objection.resolved_by == users["county_staff"]
    with pytest.raises(Exception, match="已处理"):
        objection_resolve(actor=users["county_staff"], objection=objection, upheld=False, outcome="x")
    # Outside the 公示期 an objection is refused.
    publication.ends_on = today - datetime.timedelta(days=1)
    publication.save(update_fields=["ends_on"])
    with pytest.raises(Exception, match="公示期"):
        objection_raise(actor=users["deputy"], publication=publication, kind="wrong", text="x")


def test_two_years_running_lists(congress, members, users):
    first = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_C))
    second = scheme_publish(actor=None, scheme=scheme_copy(actor=None, scheme=first, year=YEAR + 1))
    for scheme in (first, second):
        attend = scheme.categories.get(code="attend")
        points_adjust(
            actor=None, scheme=scheme, deputy=members["li"], category=attend, points=-1, reason="缺席"
        )
    assert Standing.objects.get(scheme=second, deputy=members["li"], period="year").total == Decimal("29.00")
    lists = repeated_conditions(user=users["county_staff"], congress_id=congress.pk, year=YEAR + 1)
    assert [d[0] for d in lists["bottom"]] == [members["li"].pk]
    assert {d[0] for d in lists["grade"]} == {members["li"].pk, members["wang"].pk}  # both 差 both years


def test_the_deputys_page_offers_an_open_publication_whatever_the_year(scheme, members, users, login):
    """A 公示 of last year's scheme is open now: the deputy's page (which opens on the year with a
    published scheme) offers the objection form, and the year switch reaches each year with a scheme
    (a fresh tester found no way to object while the current year had no scheme)."""
    today = timezone.localdate()
    publication = publication_create(
        actor=users["county_staff"], scheme=scheme, period="quarter", index=1, order="rank",
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=6),
    )  # fmt: skip
    client = login(users["deputy"])
    action = reverse("points:objection_create", args=[publication.pk])
    for query in ({}, {"year": today.year}, {"year": YEAR}, {"year": "99999"}, {"year": "x"}):
        page = client.get(reverse("points:mine"), query).content.decode()
        assert f'action="{action}"' in page, query
    opened = client.get(reverse("points:mine")).content.decode()
    assert f"我的积分（{YEAR}年）" in opened
