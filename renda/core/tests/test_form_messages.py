"""Every form's error messages name the field in plain Chinese (issue 11 §4): none of Django's default texts
("这个字段是必填项。", "确保该变量包含不超过 2000 字符", "Enter a whole number.") reaches a page.

Every Form subclass in renda is built (with no arguments, or with empty choices and the usual fixtures for
the keyword arguments its __init__ needs), then bound to empty, over-long, NUL-carrying and malformed
values in all its fields; each message must be none of Django's defaults, and each message the shared
base writes (required, max_length, invalid, invalid_choice, …) must contain the field's label.
"""

import inspect
import re

import pytest
from django import forms
from django.core import validators as core_validators
from django.forms.utils import pretty_name
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core.tests.test_text import _all_forms
from renda.core.text import clean_text

pytestmark = pytest.mark.django_db


def _django_default_messages() -> list[str]:
    """Django's own form-field and validator messages (as msgids)."""
    from django.contrib.auth import password_validation
    from django.forms import fields, models

    found = []
    for module in (fields, models):
        for obj in vars(module).values():
            if isinstance(obj, type):
                for klass in obj.__mro__:
                    found += list(getattr(klass, "default_error_messages", {}).values())
    for module in (core_validators, password_validation):
        for obj in vars(module).values():
            message = getattr(obj, "message", None) if isinstance(obj, type) else None
            if isinstance(message, str | Promise):
                found.append(message)
    return found


def _patterns(language: str) -> list[re.Pattern]:
    """Each default message in `language` as a regex (its %(x)s / %d placeholders match anything)."""
    with translation.override(language):
        texts = {str(m) for m in _django_default_messages()}
    out = []
    for text in texts:
        pattern = re.escape(text)
        pattern = re.sub(r"%\\\(\w+\\\)[sd]|%[sd]", ".*", pattern)
        out.append(re.compile(f"^{pattern}$", re.S))
    return out


# What the shared base writes; an author's own message for one of these codes is left alone.
BASE_CODES = {
    "required",
    "max_length",
    "min_length",
    "invalid",
    "invalid_choice",
    "invalid_list",
    "invalid_pk_value",
    "null_characters_not_allowed",
    "max_value",
    "min_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
}


@pytest.fixture
def kwargs_for(users, regions, deputies):
    """Keyword arguments for a form's __init__: empty choices, and a user, region or station where one
    object is needed. Forms that need a particular record (a plan, a session) are skipped."""
    from renda.accounts.models import User
    from renda.activities.models import Activity, Campaign
    from renda.deputies.models import Congress, Constituency, Deputy
    from renda.guidance.models import GuidanceGroup
    from renda.media_column.models import Article
    from renda.network.models import Station
    from renda.network.services import station_create
    from renda.organizations.models import Organization
    from renda.regions.models import Region
    from renda.suggestions.models import Suggestion
    from renda.training.models import PlanItem

    station = station_create(
        name="黄泥塘镇人大代表联络站", kind="township_station", region=regions["huangnitang"]
    )
    querysets = {
        "congresses": Congress,
        "constituencies": Constituency,
        "deputies": Deputy,
        "stations": Station,
        "regions": Region,
        "townships": Region,
        "organizers": Organization,
        "co_organizers": Organization,
        "organizations": Organization,
        "departments": Organization,
        "campaigns": Campaign,
        "activities": Activity,
        "members": User,
        "participants": Deputy,
        "groups": GuidanceGroup,
        "articles": Article,
        "plan_items": PlanItem,
        "merge_candidates": Suggestion,
    }
    single = {
        "user": users["county_staff"],
        "region": regions["county"],
        "county": regions["county"],
        "station": station,
    }

    def build(form_class, **extra):
        needed = [
            p
            for p in inspect.signature(form_class.__init__).parameters.values()
            if p.kind == p.KEYWORD_ONLY and p.default is p.empty
        ]
        kwargs = {}
        for p in needed:
            if p.name in single:
                kwargs[p.name] = single[p.name]
            elif p.name in querysets:
                kwargs[p.name] = querysets[p.name].objects.none()
            else:
                kwargs[p.name] = []
        for attempt in (kwargs, {k: [] if k in querysets else v for k, v in kwargs.items()}):
            try:
                return form_class(**extra, **attempt)
            except (TypeError, KeyError, AttributeError, ValueError):
                continue
        return None

    return build


def _values_for(field: forms.Field, variant: str):
    if variant == "empty":
        return None
    if variant == "nul":
        return "a\x00b"
    if variant == "long":
        limit = getattr(field, "max_length", None)
        return "字" * (limit + 5) if limit else None
    if variant == "short":
        limit = getattr(field, "min_length", None)
        return "字" if limit and limit > 1 else None
    if variant == "bad":
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            return ["不存在的选项"]
        if isinstance(field, forms.BooleanField | forms.FileField):
            return None
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            return "十二"
        return "不存在的选项 ##"
    if variant == "huge":
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            return "99999999999999999999.123456"
        return None
    if variant == "negative":
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            return "-99999"
        return None
    raise AssertionError(variant)


VARIANTS = ("empty", "nul", "long", "short", "bad", "huge", "negative")


def _bind(form_class, build, variant):
    unbound = build(form_class)
    if unbound is None:
        return None, None
    data = {}
    for name, field in unbound.fields.items():
        value = _values_for(field, variant)
        if value is None:
            continue
        key = unbound.add_prefix(name)
        data[key] = value
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return unbound, build(form_class, data=query)


def _label(field: forms.Field, name: str) -> str:
    label = str(field.label) if field.label is not None else pretty_name(name)
    return label.rstrip("：:").replace("%", "％")


def _authored(unbound: forms.BaseForm, name: str, code: str) -> bool:
    """Did the form's author write this field's message for `code` (left alone by the shared base)?"""
    field = unbound.fields[name]
    message = field.error_messages.get(code)
    if message is None:
        return any(getattr(v, "code", None) == code and "message" in vars(v) for v in field.validators)
    return not any(
        message is getattr(klass, "default_error_messages", {}).get(code) for klass in type(field).__mro__
    )


@pytest.fixture
def defaults_zh():
    return _patterns("zh-hans")


def test_no_form_shows_a_django_default_message_and_each_names_its_field(kwargs_for, defaults_zh):
    leaks, unnamed, checked, built = [], [], 0, 0
    for form_class in _all_forms():
        for variant in VARIANTS:
            with translation.override("zh-hans"):
                unbound, form = _bind(form_class, kwargs_for, variant)
                if form is None:
                    break
                try:
                    errors = form.errors.as_data()
                except Exception:  # noqa: S112 — a clean() that needs records the factory did not give
                    continue
                built += variant == "empty"
                for name, items in errors.items():
                    if name not in form.fields:
                        continue
                    label = _label(form.fields[name], name)
                    for error in items:
                        for text in error.messages:
                            checked += 1
                            where = f"{form_class.__module__}.{form_class.__qualname__}.{name} [{variant}]"
                            if any(p.match(text) for p in defaults_zh):
                                leaks.append(f"{where}: {text}")
                            elif (
                                error.code in BASE_CODES
                                and not _authored(unbound, name, error.code)
                                and label not in text
                            ):
                                unnamed.append(f"{where}: {text}")
    assert built > 120, built
    assert checked > 500, checked
    assert not leaks, f"{len(leaks)} Django default messages:\n" + "\n".join(leaks)
    assert not unnamed, f"{len(unnamed)} messages without their field's label:\n" + "\n".join(unnamed)


def test_the_public_opinion_form_says_how_long_the_text_is():
    from renda.opinions.forms import PublicOpinionForm

    with translation.override("zh-hans"):
        form = PublicOpinionForm(data={"content": "字" * 2105, "category": "other"})
        assert form.errors["content"] == ["您的意见或建议最多 2000 字，现在 2105 字"]
        form = PublicOpinionForm(data={"content": "", "category": "其他"})
        assert form.errors["content"] == ["请填写您的意见或建议"]
        assert "类别" in form.errors["category"][0]


def test_password_rules_speak_chinese(users):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from renda.accounts.models import User

    english = re.compile(r"[A-Za-z]{4,}")
    with translation.override("zh-hans"):
        for password in ("abc", "12345678", "password", "deputy2024", "Ab1!"):
            try:
                validate_password(password, User(username="deputy2024", full_name="王芳"))
            except ValidationError as exc:
                for message in exc.messages:
                    assert not english.search(message.replace(password, "")), message
                    assert "密码" in message, message
            else:
                raise AssertionError(password)


def test_every_long_text_field_renders_the_character_counter(kwargs_for):
    """A Textarea with a max_length carries data-counter (renda.js shows "已输入 12/2000 字" under it)."""
    missing, counted = [], 0
    for form_class in _all_forms():
        form = kwargs_for(form_class)
        if form is None:
            continue
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
                counted += 1
                html = str(form[name])
                if "data-counter=" not in html or f'maxlength="{field.max_length}"' not in html:
                    missing.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert counted >= 10, counted
    assert not missing, missing


# ----------------------------------------------------------------------------------------------------
# Issue 11: a required text made only of invisible characters is empty — in every form and API input.

INVISIBLE = [" ", "\t", "\n", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\u2028",
             "\u180e", "\u3164", "\u2800", "\ufe0f"]  # fmt: skip
invisible_only = st.text(alphabet=st.sampled_from(INVISIBLE), min_size=1, max_size=8)


def _required_text_fields(form):
    from renda.core.text import input_kind

    for name, field in form.fields.items():
        if (
            isinstance(field, forms.CharField)
            and field.required
            and not field.disabled
            and not isinstance(field.widget, forms.PasswordInput)
            and getattr(field, "strip", True)
            and input_kind(name) != "raw"
        ):
            yield name, field


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blank=invisible_only)
def test_every_form_refuses_a_required_text_of_only_invisible_characters(kwargs_for, blank):
    """Spaces, U+200B/U+200C/U+200D/U+FEFF, U+3000 …: "请填写<label>", never accepted (the public
    opinion form took six U+200B and then answered 重复提交)."""
    from django.http import QueryDict

    accepted, checked = [], 0
    with translation.override("zh-hans"):
        for form_class in _all_forms():
            unbound = kwargs_for(form_class)
            if unbound is None:
                continue
            fields = dict(_required_text_fields(unbound))
            if not fields:
                continue
            data = QueryDict(mutable=True)
            for name in fields:
                data[unbound.add_prefix(name)] = blank
            form = kwargs_for(form_class, data=data)
            try:
                errors = form.errors.as_data()
            except Exception:  # noqa: S112 — a clean() that needs records the factory did not give
                continue
            for name, field in fields.items():
                checked += 1
                where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
                codes = [e.code for e in errors.get(name, [])]
                if "required" not in codes:
                    accepted.append(f"{where}: {codes}")
                elif not _authored(unbound, name, "required"):
                    assert _label(field, name) in form.errors[name][0], (where, form.errors[name])
    assert checked > 60, checked
    assert not accepted, f"{len(accepted)} required text fields took {blank!r}:\n" + "\n".join(accepted)


@settings(max_examples=10, deadline=None)
@given(blank=invisible_only)
def test_every_api_input_refuses_a_required_text_of_only_invisible_characters(blank):
    import pydantic

    from renda.core.api import InputSchema, label_at, validation_message
    from renda.core.tests.test_text import _renda_classes

    checked = 0
    for schema in _renda_classes(InputSchema):
        required = [
            n
            for n, f in schema.model_fields.items()
            if f.is_required() and str in (getattr(f.annotation, "__args__", ()) or (f.annotation,))
        ]
        if not required:
            continue
        with pytest.raises(pydantic.ValidationError) as caught:
            schema.model_validate(dict.fromkeys(required, blank))
        missing = {e["loc"][0]: e for e in caught.value.errors() if e["type"] == "missing"}
        for name in required:
            checked += 1
            assert name in missing, (schema, name, blank)
            error = {**missing[name], "label": label_at(schema, missing[name]["loc"])}
            with translation.override("zh-hans"):
                assert error["label"] and error["label"] in validation_message(error), (schema, name)
    assert checked > 15, checked


def test_the_public_opinion_form_refuses_zero_width_spaces_as_empty():
    from renda.opinions.forms import PublicOpinionForm

    with translation.override("zh-hans"):
        form = PublicOpinionForm(data={"content": "\u200b" * 6 + "\u3000\ufeff", "category": "other"})
        assert form.errors["content"] == ["请填写您的意见或建议"]


def test_free_text_is_stored_without_invisible_characters_at_its_ends():
    """Declaration titles and objection outcomes kept a copied U+200B at their ends (issue 10)."""
    from renda.points.forms import ResolveForm

    form = ResolveForm(data={"outcome": "\u200b\ufeff已核实，维持原分\u200d\u3000", "upheld": "1"})
    form.is_valid()
    assert form.data["outcome"] == "已核实，维持原分"
    assert clean_text("\u200b👩\u200d💻\u200b") == "👩\u200d💻"  # a ZWJ inside joins an emoji: kept


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Title: at most 5 characters; it has 9"),
        ("zh-hans", "标题最多 5 字，现在 9 字"),
    ],
)
def test_the_error_summary_names_each_field_once_in_the_page_language(language, expected):
    """English summaries read "Title：Title: …" with full-width punctuation (issue 11)."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext_lazy

    from renda.core.forms import PolicyForm

    class _Form(PolicyForm):
        title = forms.CharField(label=gettext_lazy("标题"), max_length=5)
        note = forms.CharField(label=gettext_lazy("日期"), required=False)

        def clean_note(self):
            raise forms.ValidationError("x")  # a message that does not name its field

    with translation.override(language):
        form = _Form(data={"title": "字" * 9, "note": "a"})
        html = render_to_string("components/_form_errors.html", {"form": form})
        lines = re.findall(r"<a [^>]*>(.*?)</a>", html)
    assert lines[0] == expected
    assert lines[1] == ("Date: x" if language == "en" else "日期：x")
    if language == "en":
        assert not re.search("[：，。；]", "".join(lines)), lines


# Issue 11: ~35 free-text inputs had no bound and no counter. Every text input of every form and every API
# input has a max_length fitting its use; here, the only ones where a bound is wrong, each with its reason.
UNBOUNDED_TEXT = {
    "renda.points.forms.SchemeImportForm.document": "a JSON scheme document pasted whole; parse_document "
    "bounds each entry (names, codes) and a character count of JSON helps nobody",
    "renda.points.forms.SchemeEditForm.document": "the same JSON document, edited in place",
}


def test_every_text_input_of_every_form_and_api_input_has_a_bound(kwargs_for):
    from renda.core.api import InputSchema
    from renda.core.tests.test_text import _renda_classes

    unbounded, checked = [], 0
    for form_class in _all_forms():
        form = kwargs_for(form_class)
        fields = form.fields if form is not None else form_class.base_fields
        for name, field in fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            checked += 1
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            if not field.max_length and where not in UNBOUNDED_TEXT:
                unbounded.append(where)
    for schema in _renda_classes(InputSchema):
        for name, field in schema.model_fields.items():
            if str not in (getattr(field.annotation, "__args__", ()) or (field.annotation,)):
                continue
            checked += 1
            if not any(getattr(m, "max_length", None) for m in field.metadata):
                unbounded.append(f"{schema.__module__}.{schema.__qualname__}.{name}")
    assert checked > 300, checked
    assert not unbounded, f"{len(unbounded)} text inputs without a bound:\n" + "\n".join(unbounded)


def test_an_api_text_over_its_bound_is_refused_naming_the_field(users, client):
    client.force_login(users["county_staff"])
    response = client.get("/api/v1/suggestions", {"q": "字" * 101})
    assert response.status_code == 422
    assert response.json()["message"] == "“搜索词”不能超过100个字符"
