"""Scheme pages: import a document into a draft, edit it, publish, make a new version, copy to a new
year, export; refusals shown next to the form; township staff cannot manage (404)."""

import datetime
import json

from django.urls import reverse

from renda.points.models import Scheme, Standing

from .conftest import SHAPE_A, SHAPE_B, YEAR


def test_the_scheme_life_cycle_through_the_pages(congress, members, users, login):
    staff = login(users["county_staff"])
    bad = {**SHAPE_A, "bands": [{"name": ""}]}
    response = staff.post(
        reverse("points:scheme_create"),
        {"congress": congress.pk, "document": json.dumps(bad, ensure_ascii=False)},
    )
    assert response.status_code == 400 and "bands[0].name" in response.content.decode()
    response = staff.post(
        reverse("points:scheme_create"),
        {"congress": congress.pk, "document": json.dumps(SHAPE_A, ensure_ascii=False)},
    )
    draft = Scheme.objects.get()
    assert response.url == reverse("points:scheme", args=[draft.pk]) and draft.state == "draft"
    staff.post(
        reverse("points:scheme_action", args=[draft.pk, "edit"]),
        {"document": json.dumps(SHAPE_B, ensure_ascii=False)},
    )
    draft.refresh_from_db()
    assert draft.name == "乙地积分办法" and draft.categories.count() == 2
    staff.post(reverse("points:scheme_action", args=[draft.pk, "publish"]))
    draft.refresh_from_db()
    assert draft.state == "published" and Standing.objects.filter(scheme=draft, period="year").count() == 2
    page = staff.get(reverse("points:scheme", args=[draft.pk])).content.decode()
    assert "基础分" in page and "修改（新建版本）" in page
    # Editing a published scheme is refused: the message says to make a new version.
    response = staff.post(
        reverse("points:scheme_action", args=[draft.pk, "edit"]),
        {"document": json.dumps(SHAPE_A)},
        follow=True,
    )
    assert "请创建新版本" in response.content.decode()
    staff.post(reverse("points:scheme_action", args=[draft.pk, "new_version"]))
    assert Scheme.objects.filter(lineage=draft.lineage, version=2, state="draft").exists()
    staff.post(reverse("points:scheme_action", args=[draft.pk, "copy"]), {"year": YEAR + 1})
    copy = Scheme.objects.get(year=YEAR + 1)
    assert copy.lineage != draft.lineage and copy.starts_on.year == YEAR + 1
    exported = staff.get(reverse("points:scheme_export", args=[draft.pk]))
    assert json.loads(exported.content)["name"] == "乙地积分办法"
    staff.post(reverse("points:scheme_action", args=[draft.pk, "recompute"]))
    # Township staff read the standings of their county's scheme but cannot manage it.
    township = login(users["township_staff"])
    assert township.get(reverse("points:scheme", args=[draft.pk])).status_code == 200
    assert township.post(reverse("points:scheme_action", args=[draft.pk, "publish"])).status_code == 404
    assert township.post(reverse("points:scheme_create"), {"congress": congress.pk}).status_code == 404


def test_ledger_and_my_points_pages_in_constant_queries(
    congress, members, users, login, django_assert_max_num_queries
):
    from renda.duty_records.services import duty_record_add
    from renda.points.services import scheme_import, scheme_publish

    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_A))
    for day in range(1, 6):
        duty_record_add(
            deputy=members["wang"], kind="inspection", title="视察", occurred_on=datetime.date(YEAR, 3, day)
        )
    staff = login(users["county_staff"])
    url = reverse("points:ledger", args=[scheme.pk, members["wang"].pk])
    with django_assert_max_num_queries(16):
        page = staff.get(url).content.decode()
    assert page.count("视察调研") == 5 and "15.00" in page
    deputy = login(users["deputy"])
    with django_assert_max_num_queries(14):
        assert "15.00" in deputy.get(reverse("points:mine") + f"?year={YEAR}").content.decode()


def test_the_import_form_explains_the_format_in_the_page_and_offers_a_sample(congress, users, login):
    from renda.points.services import parse_document

    client = login(users["county_staff"])
    page = client.get("/points/").content.decode()
    assert "docs/points-schemes.md" not in page  # users cannot read the repository
    assert "/points/schemes/sample/" in page and "categories" in page and "计分方式" in page
    sample = client.get("/points/schemes/sample/")
    assert sample.status_code == 200 and "attachment" in sample["Content-Disposition"]
    document = sample.json()
    parse_document(document)  # the sample imports as it is
    response = client.post(
        "/points/schemes/new/", {"congress": congress.pk, "document": sample.content.decode()}
    )
    assert response.status_code == 302
