"""An API input and the web form it mirrors take the same numbers: for every numeric field they share,
the schema's ge/le equal the form's min_value/max_value, so the API neither saves what the form
refuses (people_count 0 saved as 1) nor answers with Django's default message."""

import pytest
from annotated_types import Ge, Gt, Le, Lt
from django import forms

from renda.deputies.api import ContactIn
from renda.deputies.forms import ConstituentContactForm, DeclareForm
from renda.duty_records.api import DeclareIn

PAIRS = [(ConstituentContactForm, ContactIn), (DeclareForm, DeclareIn)]


def _bounds(info):
    low = high = None
    for m in info.metadata:
        if isinstance(m, Ge):
            low = m.ge
        elif isinstance(m, Gt):
            low = m.gt + 1
        elif isinstance(m, Le):
            high = m.le
        elif isinstance(m, Lt):
            high = m.lt - 1
    return low, high


@pytest.mark.parametrize(("form_class", "schema"), PAIRS, ids=lambda x: x.__name__)
def test_shared_numeric_fields_have_the_same_bounds(form_class, schema):
    form = form_class()
    shared = [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.IntegerField | forms.DecimalField) and name in schema.model_fields
    ]
    for name in shared:
        field = form.fields[name]
        assert _bounds(schema.model_fields[name]) == (field.min_value, field.max_value), name


@pytest.mark.parametrize("count", [0, -5, 10000])
def test_api_refuses_a_people_count_the_form_refuses_naming_the_field(seated, users, client, count):
    import datetime

    client.force_login(users["deputy"])
    response = client.post(
        "/api/v1/deputies/contacts",
        {"kind": "constituent", "method": "visit", "occurred_on": datetime.date.today().isoformat(),
         "topics": "走访", "people_count": count},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    message = response.json()["message"]
    assert "人数" in message and "确保" not in message
