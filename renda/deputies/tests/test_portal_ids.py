"""The phone portal holds several forms with fields of the same name (the contact form's and the
declaration's 日期). Each element id must be unique on the page, or a tap on a label, an error summary's
link and assistive technology reach the other form's field (a fresh tester's date went to the contact
form while the declaration kept today's)."""

import re
from collections import Counter

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_every_id_on_the_portal_is_unique(deputies, users, client):
    client.force_login(users["deputy"])
    html = client.get(reverse("deputies:portal")).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert ids["declare_occurred_on"] == 1
    assert not [name for name, count in ids.items() if count > 1], ids.most_common(5)
