"""The dossier's points and the handbook's scheme, read from renda.points: a published 2024 scheme
that counts inspections, surveys and a 称职 duty report gives 王芳 a hand-computed total."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.skipif(
    not apps.is_installed("renda.points"), reason="the points app is not installed"
)

SCHEME = {
    "format": "renda.points.scheme/1",
    "name": "大方县人大代表履职积分办法",
    "year": 2024,
    "base_mode": "none",
    "rhythm": "quarter",
    "categories": [{"code": "work", "name": "履职活动", "cap": 40}],
    "rules": [
        {"code": "visit", "name": "参加视察调研", "category": "work", "kinds": ["inspection", "survey"],
         "points": 3},
        {"code": "report", "name": "述职评议称职", "category": "work", "kinds": ["duty_report"],
         "match": {"result": "称职"}, "mode": "once", "points": 5},
    ],
    "bands": [
        {"name": "好", "lower": 10, "lower_inclusive": True},
        {"name": "一般", "upper": 10, "upper_inclusive": False},
    ],
}  # fmt: skip


@pytest.fixture
def scheme(full_record, congress, users):
    from renda.points.services import scheme_import, scheme_publish

    draft = scheme_import(actor=users["county_staff"], congress=congress, document=SCHEME)
    return scheme_publish(actor=users["county_staff"], scheme=draft)


def test_points_by_period_on_the_page_in_the_pdf_and_the_api(scheme, full_record, users, client):
    client.force_login(users["deputy"])
    page = client.get(reverse("dossier:detail", args=[full_record.pk])).content.decode()
    assert "履职积分" in page and "大方县人大代表履职积分办法" in page
    year_row = page.split("全年", 1)[1].split("</tr>", 1)[0]
    assert ">11<" in year_row and "好" in year_row  # 3 + 3 for the visits, 5 for the 称职 report
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(client.get(reverse("dossier:pdf", args=[full_record.pk])).content)
        ).pages
    )
    assert "履职积分" in text and "大方县人大代表履职积分办法" in text
    data = client.get(f"/api/v1/dossiers/{full_record.pk}").json()
    year = next(p for p in data["points"][0]["points"][0]["periods"] if p["period"] == "year")
    assert data["points"][0]["year"] == 2024 and float(year["total"]) == 11 and year["grade"] == "好"


def test_the_handbook_prints_the_scheme_in_plain_words(scheme, full_record, users, client, monkeypatch):
    from renda.dossier import selectors

    lines = selectors.handbook_scheme(deputy=full_record, year=2024)
    assert "　　参加视察调研：每次加3分" in lines
    assert "　　述职评议称职：全年有一次即加5分（只计一次）" in lines
    assert "等次：好：10分以上（含10分）；一般：不足10分" in lines
    assert any(line.startswith("一、履职活动（最高40分）") for line in lines)
    assert selectors.handbook_scheme(deputy=full_record, year=2023) is None
    monkeypatch.setattr(selectors, "handbook_scheme", lambda **kw: lines)
    client.force_login(users["county_staff"])
    response = client.get(reverse("dossier:handbook", args=[full_record.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\n", "")
    assert "积分办法（摘要）" in text and "每次加3分" in text
