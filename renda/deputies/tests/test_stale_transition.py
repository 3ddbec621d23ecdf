"""Two staff on one deputy's page change a mandate's status: the second, from the page opened before, is
refused with a message that names who changed it, to what, and when — never a silent re-render."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from renda.accounts.services import user_create
from renda.conftest import PASSWORD
from renda.core.access import Role
from renda.deputies.models import Mandate

pytestmark = pytest.mark.django_db


def test_a_stale_mandate_transition_names_who_changed_it(seated, users, regions):
    second = user_create(
        username="county_staff2",
        password=PASSWORD,
        role=Role.COUNTY_STAFF,
        full_name="乙",
        region=regions["county"],
    )
    first, other = Client(), Client()
    first.force_login(users["county_staff"])
    other.force_login(second)
    mandate = seated["wang_county"]
    url = f"/deputies/mandates/{mandate.pk}/transition/"
    today = timezone.localdate().isoformat()

    def post(client, status):
        data = {
            f"m{mandate.pk}-to_status": status,
            f"m{mandate.pk}-occurred_on": today,
            f"m{mandate.pk}-reason": "常委会决定",
        }
        return client.post(url, data, follow=True)

    assert post(first, Mandate.Status.RESIGNED).status_code == 200
    assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.RESIGNED
    page = post(other, Mandate.Status.TRANSFERRED).content.decode()
    assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.RESIGNED
    text = re.sub(r"<[^>]+>", "", page)
    assert re.search(
        r"该代表资格已由county_staff于\d+月\d+日 \d\d:\d\d变更为“辞职”，不能再变更为“调离”", text
    ), text[:3000]
