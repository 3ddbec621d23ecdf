"""The core text policy in every entry path of a deputy — the page form, the roster import, the API — and
in the roster export: invisible characters gone from names and codes, astral CJK names kept and sorted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from renda.deputies import strokes
from renda.deputies.exports import write_roster_xlsx
from renda.deputies.imports import Planner, read_roster
from renda.deputies.models import Deputy
from renda.deputies.services import deputy_create
from renda.deputies.tasks import roster_import_confirm, roster_import_start

from .conftest import make_id, workbook_bytes

NAMES = ["赵刚", "𠮷田", "王𠮷", "𡈽明", "阿依古丽·买买提"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u3000", " "]
ID = make_id("19800105", 23)
HEADER = ["序号", "姓名", "性别", "公民身份号码", "联系电话", "选区"]

typed = st.tuples(
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(INVISIBLE), max_size=3),
    st.lists(st.integers(0, 20), min_size=3, max_size=3),
    st.booleans(),
)
fixtures_ok = settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sprinkle(text: str, extras: list[str], positions: list[int], wide: bool = False) -> str:
    chars = list(text)
    for extra, position in zip(extras, positions, strict=False):
        chars.insert(position % (len(chars) + 1), extra)
    out = "".join(chars)
    return out.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")) if wide else out


@fixtures_ok
@given(case=typed)
def test_the_deputy_form_stores_names_and_codes_without_invisible_characters(case, users, client):
    name, extras, positions, wide = case
    client.force_login(users["county_staff"])
    response = client.post(
        "/deputies/new/",
        {
            "name": _sprinkle(name, extras, positions),
            "gender": "",
            "id_number": _sprinkle(ID, extras, positions, wide),
            "phone": _sprinkle("13908571234", extras, positions, wide),
            "region": "520521105",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    deputy = Deputy.objects.get(name=name)
    assert (deputy.id_number, deputy.phone) == (ID, "13908571234")
    assert deputy.stroke_key == strokes.stroke_key(name)
    deputy.delete()


@fixtures_ok
@given(case=typed)
def test_the_roster_import_reads_the_same_names_and_codes_as_the_form(case, congresses, users):
    name, extras, positions, wide = case
    data = workbook_bytes(
        [
            HEADER,
            [
                1,
                _sprinkle(name, extras, positions),
                "男",
                _sprinkle(ID, extras, positions, wide),
                "",
                "第41选区",
            ],
        ]
    )
    planned, _skipped = Planner(congress=congresses["county"], user=users["county_staff"]).plan_rows(
        read_roster(data)
    )
    assert [(p.name, p.id_number, p.errors) for p in planned] == [(name, ID, [])]


def test_an_extension_b_name_is_imported_stored_searched_and_exported(
    congresses, users, client, django_capture_on_commit_callbacks
):
    staff = users["county_staff"]
    data = workbook_bytes([HEADER, [1, "𠮷\u200b田", "男", ID, "", "第41选区"]])
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=staff, congress=congresses["county"], upload=SimpleUploadedFile("名册.xlsx", data)
        )
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_confirm(actor=staff, batch=batch)
    deputy = Deputy.objects.get(name="𠮷田")
    client.force_login(staff)
    found = client.get("/api/v1/deputies", {"q": "𠮷\u200b田"}).json()
    assert [d["name"] for d in found["items"]] == ["𠮷田"]
    # A whole ID number travels in the body (never in a URL), typed full-width with an invisible character.
    by_id = client.post(
        "/api/v1/deputies/search",
        {"id_number": _sprinkle(ID, ["\u200b"], [6], wide=True)},
        content_type="application/json",
    ).json()
    assert [d["name"] for d in by_id["items"]] == ["𠮷田"]
    sheet = load_workbook(
        io.BytesIO(write_roster_xlsx(Deputy.objects.filter(pk=deputy.pk), title="名册", reveal=False))
    ).active
    assert sheet.cell(row=4, column=2).value == "𠮷田"


def test_the_roster_export_escapes_control_characters_already_stored(deputies):
    Deputy.objects.filter(pk=deputies["wang"].pk).update(workplace="卫生院\x07院长\x0b", native_place="=1+1")
    sheet = load_workbook(
        io.BytesIO(
            write_roster_xlsx(Deputy.objects.filter(pk=deputies["wang"].pk), title="名册\x08", reveal=False)
        )
    ).active
    values = [c.value for c in sheet[4]]
    assert "卫生院␇院长␋" in values and "=1+1" in values
    assert sheet["A1"].value == "名册␈"


def test_astral_names_sort_by_stroke_count_where_the_table_has_one():
    """The table covers every CJK Unified Ideographs block, the astral Extensions B–G included (Unihan
    kTotalStrokes): 𠮷 (U+20BB7) has 6 strokes and 𡈽 (U+2123D) 4, so they sort among the surnames of
    their stroke count. cnchar-order has no stroke order for them, so within their count they come
    before the characters whose order is known (order key 0…)."""
    assert strokes.stroke_count("𠮷") == 6
    assert strokes.stroke_count("𡈽") == 4
    ordered = sorted(["𠮷田", "王芳", "丁一", "𡈽明", "田军"], key=strokes.stroke_key)
    assert ordered == ["丁一", "𡈽明", "王芳", "田军", "𠮷田"]
    # The given name's astral character does not push a counted surname out of place.
    assert sorted(["王𠮷", "丁一", "王芳"], key=strokes.stroke_key)[0] == "丁一"


@pytest.mark.parametrize("name", ["𠮷田", "王𠮷"])
def test_an_astral_name_is_stored_by_the_service(name, regions):
    deputy = deputy_create(name=name + "\u200b", gender="male", region=regions["huangnitang"])
    assert deputy.name == name and deputy.pinyin_key and deputy.stroke_key
