"""A declaration's title keeps no invisible character at its ends, and one of only invisible characters is
refused naming the field (issue 10's leftover, issue 11's kind) — through the API as through forms."""

from django.utils import timezone

from renda.duty_records.models import DutyRecord

PASSWORD = "Renda#2024x"


def _auth(client):
    response = client.post(
        "/api/v1/auth/token", {"username": "deputy", "password": PASSWORD}, content_type="application/json"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_declared_title_is_stored_without_zero_width_characters_at_its_ends(users, deputies, client):
    auth, today = _auth(client), timezone.localdate().isoformat()
    response = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "other", "title": "\u200b\ufeff参加村民议事会\u200d\u3000", "occurred_on": today},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    assert DutyRecord.objects.filter(title="参加村民议事会").exists()
    blank = client.post(
        "/api/v1/duty-records/declare",
        {"kind": "other", "title": "\u200b\u200c\u3000 ", "occurred_on": today},
        content_type="application/json",
        **auth,
    )
    assert blank.status_code == 422
    assert blank.json()["message"] == "“标题”为必填项"
    assert blank.json()["detail"] == [{"field": "title", "message": "“标题”为必填项"}]
