"""The text policy (renda/core/text.py): properties of the input cleaners over families of nasty text, and
every output writer fed whatever may already be stored (controls, format characters, astral CJK)."""

import io
import unicodedata

import pytest
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from renda.audit.exports import write_audit_xlsx
from renda.audit.models import AuditEntry
from renda.core.spreadsheets import safe_cell
from renda.core.text import (
    clean_code,
    clean_input,
    clean_name,
    clean_person_name,
    clean_text,
    docx_text,
    export_text,
    input_kind,
    is_person_name,
)
from renda.core.validators import id_check_character, normalize_phone, validate_id_number

ID_NUMBER = "52052119801005024" + id_check_character("52052119801005024")
C0 = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
# Format characters that arrive with copied text: zero-width space/joiners, BOM, soft hyphen, marks.
CF = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202c"]
ASTRAL = ["𠮷", "𡈽", "𪚥", "𫖮", "𬌗"]  # Extension B, B, C, E, E

# Text as people paste it: anything printable, plus controls, format characters and astral ideographs.
pasted = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from([*C0, "\x7f", "\x85", "\x9f", *CF, *ASTRAL, "\ufffe", "\uffff"]),
    ),
    max_size=60,
)
invisible = st.lists(st.sampled_from([*CF, "\x07", "\x0b"]), max_size=4)


def _sprinkle(text: str, extras: list[str], positions: list[int]) -> str:
    chars = list(text)
    for extra, position in zip(extras, positions, strict=False):
        chars.insert(position % (len(chars) + 1), extra)
    return "".join(chars)


@given(pasted)
def test_cleaned_codes_and_names_hold_no_format_or_control_character_and_are_stable(value):
    for cleaner in (clean_code, clean_name, clean_person_name):
        once = cleaner(value)
        assert not any(unicodedata.category(c) in ("Cf", "Cc") for c in once), repr(once)
        assert cleaner(once) == once
    assert clean_code(value) == unicodedata.normalize("NFKC", clean_code(value))


@given(pasted)
def test_free_text_keeps_tab_and_newline_but_no_other_control(value):
    cleaned = clean_text(value)
    assert all(c in "\t\n" or unicodedata.category(c) != "Cc" for c in cleaned)
    assert clean_text(cleaned) == cleaned
    assert "\r" not in cleaned


@given(invisible, st.lists(st.integers(0, 30), min_size=4, max_size=4), st.booleans())
def test_an_id_number_with_invisible_or_full_width_characters_is_the_same_number(extras, positions, wide):
    typed = _sprinkle(ID_NUMBER, extras, positions)
    if wide:
        typed = typed.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert validate_id_number(typed) == ID_NUMBER
    assert normalize_phone(_sprinkle("１３９ ０８５７ １２３４", extras, positions)) == "13908571234"


@pytest.mark.parametrize("name", ["𠮷田", "王𠮷", "𡈽明", "阿依古丽·买买提", "王芳"])
def test_astral_han_names_are_names(name):
    assert is_person_name(name)
    assert clean_person_name(name[:1] + "\u200b" + name[1:] + "\u3000") == name


@pytest.mark.parametrize("name", ["王", "王😀", "王<b>", "王1"])
def test_what_is_not_a_name(name):
    assert not is_person_name(name)


def _xml_compatible(text: str) -> bool:
    try:
        etree.Element("a").text = text  # what python-docx and openpyxl's lxml writer do
    except ValueError:
        return False
    return True


def _stand_in(char: str) -> str:
    """A control picture (␇) for C0 controls and DEL, a [U+0085] escape for the rest."""
    if char < " " or char == "\x7f":
        return chr(0x2400 + (ord(char) if char < " " else 0x21))
    return f"[U+{ord(char):04X}]"


@settings(max_examples=40)
@given(pasted)
def test_export_text_is_always_writable_and_loses_nothing_silently(value):
    shown = export_text(value)
    assert _xml_compatible(shown)
    # Every character removed from the output has a visible stand-in in it.
    for char in set(value) - set(shown):
        assert _stand_in(char) in shown
    workbook = Workbook()
    workbook.active.append([safe_cell(value)])
    workbook.save(io.BytesIO())
    document = Document()
    document.add_paragraph(docx_text(value)).add_run(docx_text(value))
    document.add_table(rows=1, cols=1).rows[0].cells[0].text = docx_text(value)
    document.save(io.BytesIO())


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=pasted.filter(lambda v: "\x00" not in v), detail=pasted.filter(lambda v: "\x00" not in v))
@pytest.mark.django_db
def test_the_audit_export_completes_whatever_a_failed_login_typed(username, detail):
    """`ad` BEL `min` at a failed login: the export used to fail for as long as the row was kept."""
    entry = AuditEntry.objects.create(
        occurred_at=timezone.now(),
        action="auth.login",
        outcome="denied",
        actor_username=("ad\x07min" + username)[:150],
        detail=detail,
    )
    data = write_audit_xlsx(AuditEntry.objects.filter(pk=entry.pk), 1, lambda *a: None)
    row = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))]
    assert row[1].startswith("ad␇min")
    # The record itself keeps what was typed.
    assert AuditEntry.objects.get(pk=entry.pk).actor_username.startswith("ad\x07min")


# Every module that writes a .docx, .xlsx or .pdf, and the safe helper it must pass stored text through.
# A new writer module fails test_every_writer_passes_stored_text_through_the_output_policy until it uses
# one of them and is listed here.
_SAFE_HELPERS = ("docx_text", "export_text", "safe_cell", "safe_row", "OfficialDocument")
_WRITER_MARKERS = ("from docx import Document", "Workbook(", "WriteOnlyCell(", "weasyprint")


def _writer_modules():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name in ("text.py", "spreadsheets.py"):
            continue
        source = path.read_text(encoding="utf-8")
        if any(marker in source for marker in _WRITER_MARKERS):
            yield path.relative_to(root.parent).as_posix(), source


def test_every_writer_passes_stored_text_through_the_output_policy():
    """Writers that build documents with python-docx or openpyxl must use the shared safe-text helpers;
    weasyprint writers render Django templates, whose output is HTML-escaped and parsed leniently."""
    import re

    unsafe = []
    for name, source in _writer_modules():
        if "weasyprint" in source and "render_to_string" in source:
            continue
        builds_docx = "from docx import Document" in source and re.search(r"\bDocument\(\)", source)
        builds_xlsx = re.search(r"\b(Workbook|WriteOnlyCell)\(", source)
        if (builds_docx or builds_xlsx) and not any(helper in source for helper in _SAFE_HELPERS):
            unsafe.append(name)
    assert not unsafe, f"writers without the output policy: {unsafe}"


@given(st.text(alphabet="黄泥塘镇（中心）卫生院　院长：，。ＡＢ１２", min_size=1, max_size=30))
def test_names_and_free_text_are_never_folded_only_codes_are(value):
    """NFKC is for codes: （中心）, ：，。 and full-width letters in a workplace or a note stay as written."""
    kept = value.strip().replace("\u3000\u3000", "\u3000")
    while "\u3000\u3000" in kept:
        kept = kept.replace("\u3000\u3000", "\u3000")
    assert clean_name(value) == kept
    assert clean_text(value) == value.strip()
    assert clean_code(value) == unicodedata.normalize("NFKC", "".join(value.split()))


def test_the_workplace_of_the_field_report_is_kept_as_written():
    assert clean_name("黄泥塘镇（中心）卫生院　院长\u200b") == "黄泥塘镇（中心）卫生院　院长"


# ----------------------------------------------------------------------------------------------------
# The boundary: every form and every API input applies the policy (renda.core.forms / renda.core.api).


def _renda_classes(base):
    import importlib
    import pkgutil

    import renda

    for module in pkgutil.walk_packages(renda.__path__, "renda."):
        if ".tests" in module.name or ".migrations" in module.name or module.name.endswith("conftest"):
            continue
        importlib.import_module(module.name)
    seen, stack = set(), [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted((c for c in seen if c.__module__.startswith("renda.")), key=lambda c: c.__qualname__)


def _all_forms():
    from django import forms

    return [c for c in _renda_classes(forms.BaseForm) if not c.__name__.startswith(("Policy", "_"))]


def test_every_form_in_renda_applies_the_text_policy():
    from renda.core.forms import TextPolicyMixin

    forms_ = _all_forms()
    assert len(forms_) > 100  # the walk found the apps' forms
    missing = [f"{c.__module__}.{c.__qualname__}" for c in forms_ if not issubclass(c, TextPolicyMixin)]
    assert not missing, f"forms without the text policy: {missing}"


def _expected(name: str, value: str, multiline: bool) -> str:
    kind = input_kind(name)
    if kind == "code":
        return clean_code(value)
    if kind == "name":
        return clean_name(value)
    return clean_text(value, multiline=multiline)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pasted, invisible, st.lists(st.integers(0, 60), min_size=4, max_size=4))
@pytest.mark.django_db
def test_every_form_cleans_every_text_input_before_its_fields_validate(value, extras, positions):
    """Each form, bound to nasty text in all its text inputs, validates the cleaned text: no control
    character anywhere, no format character in a name or code, codes NFKC-folded."""
    from django import forms

    typed = _sprinkle("张\u200b三\x07" + value, extras, positions).replace("\x00", "")
    checked = 0
    for form_class in _all_forms():
        try:
            form = form_class(data={})
        except (TypeError, KeyError, AttributeError):  # needs its record or user: checked by class above
            continue
        data = {}
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                data[form.add_prefix(name)] = typed
        if not data:
            continue
        try:
            form = form_class(data=data)
            form.full_clean()
        except Exception:  # noqa: S110 — a clean() that assumes records; the data was cleaned before it
            pass
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            if key not in data or isinstance(field.widget, forms.PasswordInput) or not field.strip:
                continue
            if input_kind(name) == "raw":
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            assert form.data[key] == _expected(name, typed, multiline), (form_class, name)
            checked += 1
    assert checked > 50


def _api_operations():
    from django.urls import get_resolver

    from renda.core.api import api

    get_resolver().url_patterns  # noqa: B018 — registers every app's router with the API
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield prefix + path, operation


def test_every_api_input_applies_the_text_policy():
    """Every body and query model of every operation derives from InputSchema; a bare str parameter is
    allowed only in the path (and path codes are folded by the view: see test_url_codes)."""
    from ninja import Schema
    from ninja.files import UploadedFile

    from renda.core.api import InputSchema

    bare, plain = [], []
    count = 0
    for path, operation in _api_operations():
        for model in operation.models:
            for name, field in model.model_fields.items():
                annotation = field.annotation
                args = getattr(annotation, "__args__", ()) or (annotation,)
                for arg in args:
                    if isinstance(arg, type) and issubclass(arg, Schema):
                        has_text = any(
                            str in (getattr(f.annotation, "__args__", ()) or (f.annotation,))
                            for f in arg.model_fields.values()
                        )
                        if arg.__module__.startswith("ninja.") or not has_text:  # e.g. page/page_size
                            continue
                        count += 1
                        if not issubclass(arg, InputSchema):
                            plain.append(f"{path} {arg.__name__}")
                    elif arg is str and model.__name__ != "PathParams":
                        bare.append(f"{path} {name}")
                    elif arg is UploadedFile:
                        continue
    assert count > 15
    assert not plain, f"API inputs without the text policy: {plain}"
    assert not bare, f"bare text parameters (use an InputSchema): {bare}"


@settings(max_examples=20)
@given(pasted, invisible, st.lists(st.integers(0, 60), min_size=4, max_size=4))
def test_every_api_input_schema_cleans_its_text_fields(value, extras, positions):
    from renda.core.api import InputSchema

    typed = _sprinkle("张\u200b三\x07" + value, extras, positions)
    schemas = list(_renda_classes(InputSchema))
    assert len(schemas) > 15
    for schema in schemas:
        text_fields = [
            n
            for n, f in schema.model_fields.items()
            if str in (getattr(f.annotation, "__args__", ()) or (f.annotation,))
        ]
        cleaned = schema._text_policy(dict.fromkeys(text_fields, typed))
        for name in text_fields:
            assert cleaned[name] == clean_input(name, typed), (schema, name)


def test_the_field_report_inputs_are_cleaned_by_their_kind():
    assert clean_input("person_name", "张\u200b三\x07") == "张三"
    assert clean_input("contact_person", "王\u200d芳") == "王芳"
    assert clean_input("signer", "李\u200b四") == "李四"
    assert clean_input("document_number", "大人常任〔２０２２〕\u200b１号") == "大人常任〔2022〕1号"
    assert clean_input("note", "已完成\x07调研\x0b") == "已完成调研"
    assert clean_input("title", "报告\x07") == "报告"
    assert clean_input("password", " a\x07") == " a\x07"


def test_every_url_that_takes_a_typed_code_folds_it():
    """Each route parameter named like a code uses the <code:…> converter (NFKC, no Cf, upper case),
    and each API path parameter named like a code is folded by its view (checked by source)."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver

    from renda.core.converters import CodeConverter

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    unfolded, checked = [], 0
    for route, entry in walk(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue  # the API's own routes: checked through its operations below
        if route.endswith("vote/<str:code>/"):
            continue  # a ballot secret (token_urlsafe, case-sensitive) opened from its QR code, not typed
        for name, converter in getattr(entry.pattern, "converters", {}).items():
            if "code" in name:
                checked += 1
                if not isinstance(converter, CodeConverter):
                    unfolded.append(route)
    for path, operation in _api_operations():
        for model in operation.models:
            if model.__name__ == "PathParams" and any("code" in n for n in model.model_fields):
                checked += 1
                if "clean_code(" not in inspect.getsource(operation.view_func):
                    unfolded.append(path)
    assert checked >= 2
    assert not unfolded, unfolded
    assert CodeConverter().to_python("５７ｘｍ\u200bｘｃｙｔ") == "57XMXCYT"


@given(pasted, invisible, st.lists(st.integers(0, 60), min_size=4, max_size=4))
def test_a_content_fingerprint_ignores_invisible_characters_width_spacing_and_punctuation(
    value, extras, positions
):
    from renda.core.text import content_fingerprint

    wide = value.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # ASCII → full-width forms
    for variant in (
        _sprinkle(value, extras, positions),
        wide,
        value.replace("。", ".").replace("，", ","),
        f" {value} ",
    ):
        assert content_fingerprint(variant) == content_fingerprint(value), repr(variant)
    assert content_fingerprint("路灯坏了1") != content_fingerprint("路灯坏了2")


def test_the_api_text_policy_runs_when_ninja_validates_a_body():
    """ninja's Schema hands its validators a DjangoGetter, not a dict: the policy once never ran."""
    from renda.activities.api import AnswerIn

    assert AnswerIn.model_validate({"answer": "参加\x07\u200b "}).answer == "参加"
