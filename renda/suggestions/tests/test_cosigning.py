"""Co-signers (联名代表) confirm or decline on their phone before the suggestion is submitted (or
the request lapses after RENDA_SUGGESTION_COSIGN_DAYS), and only those who confirmed are credited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.accounts.services import user_create
from renda.core.errors import DomainError, InvalidTransition
from renda.core.queues import work_queues
from renda.deputies.models import Deputy, Mandate
from renda.duty_records.models import DutyRecord
from renda.suggestions import services
from renda.suggestions.models import SuggestionSigner


@pytest.fixture
def li_user(deputies):
    user = user_create(username="li", password="Renda#2024x", role="deputy", full_name="李明")
    Deputy.objects.filter(pk=deputies["li"].pk).update(user=user)
    Mandate.objects.filter(deputy=deputies["li"]).update(delegation="九驿街道代表团")
    deputies["li"].refresh_from_db()
    return user


def _draft(users, deputies, at=None):
    return services.suggestion_create(
        actor=users["deputy"],
        lead_deputy=deputies["wang"],
        title="关于九驿街道停车难的建议",
        body="停车位不足，建议增设。",
        category="transport",
        cosigners=[deputies["li"]],
        at=at,
    )


def _credited(deputy) -> bool:
    return DutyRecord.objects.filter(deputy=deputy, source_type="suggestions.suggestion").exists()


def test_a_pending_cosigner_blocks_submission_naming_them(users, deputies, li_user):
    draft = _draft(users, deputies)
    signer = draft.signers.get(deputy=deputies["li"])
    assert signer.answer == SuggestionSigner.Answer.PENDING
    with pytest.raises(DomainError) as info:
        services.suggestion_submit(actor=users["deputy"], suggestion=draft)
    assert info.value.field == "cosigners" and "李明" in info.value.message
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_cosigner_confirms_on_the_phone_then_is_credited(users, deputies, li_user, client):
    draft = _draft(users, deputies)
    queues = {q["key"]: q for q in work_queues(li_user)}
    assert queues["suggestions.cosign_requests"]["count"] == 1
    client.force_login(li_user)
    listing = client.get(queues["suggestions.cosign_requests"]["url"]).content.decode()
    assert "关于九驿街道停车难的建议" in listing
    page = client.get(reverse("suggestions:detail", args=[draft.pk])).content.decode()
    assert 'id="cosign-request"' in page and deputies["wang"].name in page.split('id="cosign-request"')[1]
    response = client.post(reverse("suggestions:cosign", args=[draft.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    assert {q["key"]: q for q in work_queues(li_user)}["suggestions.cosign_requests"]["count"] == 0
    services.suggestion_submit(actor=users["deputy"], suggestion=draft)
    assert _credited(deputies["li"]) and _credited(deputies["wang"])


def test_a_declining_cosigner_is_not_credited_and_not_counted(users, deputies, li_user, client):
    draft = _draft(users, deputies)
    client.force_login(li_user)
    response = client.post(
        f"/api/v1/suggestions/{draft.pk}/cosign",
        {"accept": False, "note": "本人未参与调研"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["answer"] == "declined"
    with pytest.raises(InvalidTransition):
        services.cosign_answer(actor=li_user, suggestion=draft, accept=True)
    services.suggestion_submit(actor=users["deputy"], suggestion=draft)
    assert not _credited(deputies["li"]) and _credited(deputies["wang"])
    # The lead deputy reads the reason on the page; the co-signer who declined no longer opens it.
    client.force_login(users["deputy"])
    page = client.get(reverse("suggestions:detail", args=[draft.pk]))
    assert "已谢绝：本人未参与调研" in page.content.decode()


def test_the_lead_is_told_of_a_decline_and_its_reason(
    users, deputies, li_user, django_capture_on_commit_callbacks
):
    from renda.notifications.models import Notification

    draft = _draft(users, deputies)
    with django_capture_on_commit_callbacks(execute=True):
        services.cosign_answer(actor=li_user, suggestion=draft, accept=False, note="本人未参与调研")
    sent = Notification.objects.get(user=users["deputy"], kind="suggestion.cosign_declined")
    assert "李明" in sent.title and sent.body == "本人未参与调研"
    assert sent.url == f"/suggestions/{draft.pk}/"


def test_a_cosigner_who_declined_no_longer_reads_the_suggestion(users, deputies, li_user, client):
    from renda.core.access import scope_queryset
    from renda.suggestions.models import Suggestion, SuggestionEvent

    draft = _draft(users, deputies)
    client.force_login(li_user)
    assert client.get(reverse("suggestions:detail", args=[draft.pk])).status_code == 200
    services.cosign_answer(actor=li_user, suggestion=draft, accept=False)
    assert client.get(reverse("suggestions:detail", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/v1/suggestions/{draft.pk}").status_code == 404
    assert not scope_queryset(Suggestion.objects.all(), li_user).exists()
    # Nor the rows that belong to it.
    assert not scope_queryset(SuggestionEvent.objects.filter(suggestion=draft), li_user).exists()
    # The lead and a co-signer who confirmed still do.
    assert scope_queryset(Suggestion.objects.all(), users["deputy"]).get() == draft


def test_declining_on_the_page_lands_where_the_cosigner_can_read_the_outcome(
    users, deputies, li_user, client
):
    """The suggestion is no longer theirs to read once declined (404), so the page must not send them
    back to it: they land on their own suggestions with the confirmation (a fresh tester got a 404)."""
    draft = _draft(users, deputies)
    client.force_login(li_user)
    answer = client.post(
        reverse("suggestions:cosign", args=[draft.pk]),
        {"decision": "decline", "note": "不熟悉情况"},
        follow=True,
    )
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == reverse("suggestions:mine")
    assert "已谢绝联名" in answer.content.decode()


def test_after_the_deadline_unanswered_requests_lapse_and_submission_goes_ahead(
    users, deputies, li_user, settings
):
    settings.RENDA_SUGGESTION_COSIGN_DAYS = 3
    draft = _draft(users, deputies, at=timezone.now() - datetime.timedelta(days=4))
    services.suggestion_submit(actor=users["deputy"], suggestion=draft)
    signer = draft.signers.get(deputy=deputies["li"])
    assert signer.answer == SuggestionSigner.Answer.LAPSED
    assert not _credited(deputies["li"])
    assert "李明" in draft.events.get(action="submit").note


def test_only_the_cosigner_answers_their_own_request(users, deputies, li_user):
    draft = _draft(users, deputies)
    with pytest.raises(InvalidTransition):
        services.cosign_answer(actor=users["deputy"], suggestion=draft, accept=True)


def test_the_cosigner_picker_searches_name_initials_and_delegation(users, deputies, li_user, client):
    client.force_login(users["deputy"])
    url = reverse("core:pick", args=["cosigner"])
    for q in ("李", "lm", "LM", "九驿街道代表团"):
        body = client.get(url, {"q": q, "field": "cosigners", "multiple": "1"}).content.decode()
        assert "李明" in body and 'type="checkbox"' in body, q
    form = client.get(reverse("suggestions:write")).content.decode()
    assert "按住 Ctrl" not in form and 'class="picker' in form


def test_a_decline_reason_over_200_characters_is_refused_naming_the_field_and_kept(
    users, deputies, li_user, client
):
    """Issue 11: a long reason was cut or dropped silently, with no counter to warn."""
    draft = _draft(users, deputies)
    client.force_login(li_user)
    page = client.get(reverse("suggestions:detail", args=[draft.pk])).content.decode()
    form_html = page.split('id="cosign-request"')[1].split("</form>")[0]
    assert "data-counter=" in form_html and 'maxlength="200"' in form_html
    reason = "本人未参与该项调研，" * 21  # 210 characters
    response = client.post(
        reverse("suggestions:cosign", args=[draft.pk]), {"decision": "decline", "note": reason}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "理由或说明最多 200 字，现在 210 字" in body
    assert reason in body  # the text is kept in the field
    assert SuggestionSigner.objects.get(suggestion=draft, deputy=deputies["li"]).answer == "pending"
    ok = client.post(
        reverse("suggestions:cosign", args=[draft.pk]), {"decision": "decline", "cosign-note": reason[:200]}
    )
    assert ok.status_code == 302
    assert SuggestionSigner.objects.get(suggestion=draft, deputy=deputies["li"]).answer_note == reason[:200]


def test_the_lead_deputy_is_not_offered_as_her_own_cosigner(users, deputies, li_user, client):
    """The picker leaves out the lead: the deputy who writes (herself), or the lead the staff chose on
    the paper form or of the suggestion they edit."""
    url = reverse("core:pick", args=["cosigner"])
    wang = {"q": "王", "field": "cosigners", "multiple": "1"}
    client.force_login(li_user)
    assert "王芳" in client.get(url, wang).content.decode()
    client.force_login(users["deputy"])
    assert "王芳" not in client.get(url, wang).content.decode()
    client.force_login(users["county_staff"])
    query = {"q": "l", "field": "cosigners", "multiple": "1"}
    assert "李明" in client.get(url, query).content.decode()
    left_out = client.get(url, {**query, "lead_deputy": deputies["li"].pk}).content.decode()
    assert "李明" not in left_out
    draft = _draft(users, deputies)
    client.force_login(users["deputy"])
    edit = client.get(reverse("suggestions:edit", args=[draft.pk])).content.decode()
    assert f'name="lead_deputy" value="{deputies["wang"].pk}"' in edit


def test_the_lead_deputy_posted_as_cosigner_is_refused_with_a_message(users, deputies, li_user, client):
    with pytest.raises(DomainError) as info:
        services.suggestion_create(
            actor=users["deputy"], lead_deputy=deputies["wang"], title="关于停车难的建议",
            body="停车位不足，建议增设。", category="transport", cosigners=[deputies["wang"], deputies["li"]],
        )  # fmt: skip
    assert info.value.field == "cosigners" and "领衔代表" in info.value.message
    draft = _draft(users, deputies)
    client.force_login(users["deputy"])
    response = client.post(
        reverse("suggestions:edit", args=[draft.pk]),
        {"title": draft.title, "body": draft.body, "category": "transport", "region": draft.region_id,
         "kind": "suggestion", "period": "recess", "cosigners": [deputies["wang"].pk],
         "version": draft.version},
    )  # fmt: skip
    assert response.status_code == 400
    assert "不能同时作为联名代表" in response.content.decode()
    signers = draft.signers.filter(is_lead=False).values_list("deputy_id", flat=True)
    assert list(signers) == [deputies["li"].pk]


@pytest.mark.parametrize("q", ["jydj", "JYJD", "jyjddbt", "jy"])
def test_the_cosigner_picker_matches_a_delegation_by_its_pinyin_initials(q, users, deputies, li_user, client):
    client.force_login(users["deputy"])
    url = reverse("core:pick", args=["cosigner"])
    body = client.get(url, {"q": q, "field": "cosigners", "multiple": "1"}).content.decode()
    assert ("李明" in body) == (q.lower() != "jydj"), q


def test_changing_a_declined_cosign_is_refused_with_a_clear_message(users, deputies, li_user, client):
    """A co-signer who declined and then tries to confirm is told why (409), not "未找到": on the API,
    on the page (a resent form) and in the service alike."""
    draft = _draft(users, deputies)
    services.cosign_answer(actor=li_user, suggestion=draft, accept=False)
    with pytest.raises(InvalidTransition) as info:
        services.cosign_answer(actor=li_user, suggestion=draft, accept=True)
    assert info.value.message == "您已谢绝联名，不能再更改"
    client.force_login(li_user)
    response = client.post(
        f"/api/v1/suggestions/{draft.pk}/cosign", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["message"] == "您已谢绝联名，不能再更改"
    page = client.post(reverse("suggestions:cosign", args=[draft.pk]), {"decision": "confirm"}, follow=True)
    assert page.status_code == 200 and "您已谢绝联名，不能再更改" in page.content.decode()
    # Still declined, and a stranger still meets "not found".
    assert draft.signers.get(deputy=deputies["li"]).answer == SuggestionSigner.Answer.DECLINED
    client.force_login(users["unit"])
    assert client.post(
        f"/api/v1/suggestions/{draft.pk}/cosign", {"accept": True}, content_type="application/json"
    ).status_code in (403, 404)
