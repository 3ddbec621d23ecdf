"""Issue 13 §2: a refused workflow step leaves an audit record, on the page and through the API,
although the refused step's own transaction is rolled back."""

from django.test import override_settings

from renda.audit.models import AuditEntry


@override_settings(RENDA_AUDIT_FOLD_SECONDS=0)
def test_refused_step_is_recorded(make, deputies, users, client):
    client.force_login(users["county_staff"])
    suggestion = make("submitted", deputy=deputies["li"], cosigners=[deputies["wang"]])
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/steps/reply", {"text": "x"}, content_type="application/json"
    )
    assert response.status_code == 409
    entry = AuditEntry.objects.get(action="workflow.refused")
    assert entry.outcome == "denied" and entry.actor_username == "county_staff"
    assert "不能答复" in entry.detail and f"/suggestions/{suggestion.pk}/" in entry.detail
    seen = suggestion.version
    from renda.suggestions import services

    services.suggestion_accept(actor=users["county_staff"], suggestion=suggestion)
    response = client.post(f"/suggestions/{suggestion.pk}/step/reject/", {"version": seen, "note": "理由"})
    assert response.status_code == 409
    assert AuditEntry.objects.filter(action="workflow.refused").count() == 2
