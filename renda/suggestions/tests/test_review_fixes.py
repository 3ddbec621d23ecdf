"""Review findings: each test here failed before its fix."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError, InvalidTransition
from renda.suggestions import services
from renda.suggestions.models import Assignment, State, Suggestion

# --- 1. a unit that returned an item no longer reads it ------------------------------------------


@pytest.fixture
def returned(make, users, units):
    """王芳's item: 交通局 (the `unit` account) asked to return it, staff approved, 教育局 now leads."""
    suggestion = make("assigned")
    services.assignment_return_request(actor=users["unit"], suggestion=suggestion, reason="不属于本单位职责")
    suggestion.refresh_from_db()
    part = suggestion.assignments.get(unit=units["transport"])
    services.assignment_return_decide(
        actor=users["county_staff"],
        suggestion=suggestion,
        assignment=part,
        approve=True,
        new_unit=units["education"],
        note="同意",
    )
    suggestion.refresh_from_db()
    assert suggestion.assignments.get(unit=units["transport"]).state == Assignment.State.RETURNED
    return suggestion


def test_returned_unit_gets_404_everywhere_and_the_denial_is_audited(returned, users, client):
    client.force_login(users["unit"])
    pk = returned.pk
    for url in (
        f"/suggestions/{pk}/",
        f"/suggestions/{pk}/timeline/",
        f"/suggestions/{pk}/record.pdf",
        f"/api/v1/suggestions/{pk}",
    ):
        assert client.get(url).status_code == 404, url
    listed = client.get("/api/v1/suggestions").json()
    assert pk not in [row["id"] for row in listed["items"]]
    assert returned.title not in client.get("/suggestions/").content.decode()
    denied = AuditEntry.objects.filter(
        action="access.denied", outcome="denied", object_id=str(pk), actor_id=users["unit"].pk
    )
    assert denied.count() == 4


def test_unit_asking_to_return_still_reads_and_new_lead_unit_reads(make, users, units, client):
    suggestion = make("assigned")
    services.assignment_return_request(actor=users["unit"], suggestion=suggestion, reason="不属于本单位职责")
    client.force_login(users["unit"])
    assert client.get(f"/suggestions/{suggestion.pk}/").status_code == 200


def test_returned_co_unit_loses_access_but_lead_keeps_it(make, users, units, client):
    from renda.accounts.services import user_create
    from renda.core.access import Role

    suggestion = make("assigned", lead_unit=units["education"], co_units=[units["transport"]])
    client.force_login(users["unit"])
    assert client.get(f"/suggestions/{suggestion.pk}/").status_code == 200
    services.assignment_return_request(actor=users["unit"], suggestion=suggestion, reason="不属于本单位职责")
    suggestion.refresh_from_db()
    part = suggestion.assignments.get(unit=units["transport"])
    services.assignment_return_decide(
        actor=users["county_staff"], suggestion=suggestion, assignment=part, approve=True, note="同意"
    )
    assert client.get(f"/suggestions/{suggestion.pk}/").status_code == 404
    edu_user = user_create(
        username="edu",
        password="Renda#2024x",
        role=Role.HANDLING_UNIT,
        full_name="教育局",
        organization=units["education"],
    )
    client.force_login(edu_user)
    assert client.get(f"/suggestions/{suggestion.pk}/").status_code == 200


# --- 2. only the designated leader supervises a key suggestion -----------------------------------


def _key(make, users, leader_user=None):
    suggestion = make("assigned")
    services.suggestion_designate_key(
        actor=users["county_staff"], suggestion=suggestion, leader="张副主任", leader_user=leader_user
    )
    suggestion.refresh_from_db()
    return suggestion


def test_leader_cannot_supervise_key_suggestion_without_designated_leader(make, users):
    suggestion = _key(make, users)
    with pytest.raises(InvalidTransition):
        services.supervision_note_add(
            actor=users["leader"],
            suggestion=suggestion,
            kind="visit",
            occurred_on=timezone.localdate(),
            text="实地督办",
        )
    assert suggestion.supervision_notes.count() == 0


def test_designated_leader_and_county_staff_may_supervise(make, users):
    suggestion = _key(make, users, leader_user=users["leader"])
    services.supervision_note_add(
        actor=users["leader"],
        suggestion=suggestion,
        kind="visit",
        occurred_on=timezone.localdate(),
        text="督办",
    )
    suggestion.refresh_from_db()
    unassigned = _key(make, users)
    services.supervision_note_add(
        actor=users["county_staff"],
        suggestion=unassigned,
        kind="progress",
        occurred_on=timezone.localdate(),
        text="进展",
    )
    assert suggestion.supervision_notes.count() == 1
    assert unassigned.supervision_notes.count() == 1


# --- 3. the API takes only serving county deputies as co-signers ---------------------------------


@pytest.fixture
def outsider(regions):
    from renda.deputies.services import deputy_create

    return deputy_create(
        name="赵不在", gender="male", region=regions["huangnitang"], id_number="520521198501011232"
    )


@pytest.mark.parametrize("which", ["outsider", "unknown"])
def test_api_refuses_ineligible_cosigners_and_writes_nothing(which, outsider, deputies, users, client):
    client.force_login(users["deputy"])
    bad = outsider.pk if which == "outsider" else 999999
    before = Suggestion.objects.count()
    response = client.post(
        "/api/v1/suggestions",
        {
            "title": "关于路灯的建议",
            "body": "路灯不亮",
            "category": "transport",
            "cosigner_ids": [deputies["li"].pk, bad],
        },
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["detail"] == {"field": "cosigners"}
    assert body["message"]
    assert Suggestion.objects.count() == before


def test_api_accepts_serving_cosigners(deputies, users, client):
    client.force_login(users["deputy"])
    response = client.post(
        "/api/v1/suggestions",
        {
            "title": "关于路灯的建议",
            "body": "路灯不亮",
            "category": "transport",
            "cosigner_ids": [deputies["li"].pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    created = Suggestion.objects.get(pk=response.json()["id"])
    assert set(created.signers.values_list("deputy_id", flat=True)) == {
        deputies["wang"].pk,
        deputies["li"].pk,
    }


# --- 4. published titles are redacted --------------------------------------------------------------


def test_published_title_is_redacted_on_public_pages(make, users, client):
    suggestion = make("replied", title="关于王　芳反映13812345678路段积水的建议")
    services.suggestion_publish(actor=users["county_staff"], suggestion=suggestion)
    suggestion.refresh_from_db()
    assert "13812345678" not in suggestion.public_title
    assert "［已隐去］" in suggestion.public_title
    client.logout()
    for url in ("/suggestions/public/", f"/suggestions/public/{suggestion.pk}/"):
        page = client.get(url).content.decode()
        assert "13812345678" not in page, url
        assert suggestion.public_title in page, url


# --- 5. the draft form is only for those who may save it ------------------------------------------


@pytest.fixture
def li_revision(make, deputies):
    return make(
        "revision", deputy=deputies["li"], cosigners=[deputies["wang"]], title="关于九驿街道停车的建议"
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [("deputy", 404), ("leader", 404), ("jiuyi_staff", 404), ("county_staff", 200)],
)
def test_draft_edit_form_only_for_lead_deputy_or_staff(username, expected, li_revision, users, client):
    client.force_login(users[username])
    assert client.get(f"/suggestions/{li_revision.pk}/edit/").status_code == expected
    response = client.post(f"/suggestions/{li_revision.pk}/edit/", {"title": "改"})
    assert response.status_code == (404 if expected == 404 else 400)


def test_lead_deputy_still_edits_own_draft(make, users, client):
    draft = make("draft")
    client.force_login(users["deputy"])
    assert client.get(f"/suggestions/{draft.pk}/edit/").status_code == 200


def test_cosigner_gets_404_on_draft_edit(make, deputies, users, client):
    draft = make("draft", deputy=deputies["li"], cosigners=[deputies["wang"]])
    client.force_login(users["deputy"])
    assert client.get(f"/suggestions/{draft.pk}/edit/").status_code == 404


# --- 6. uploads: the content must match the extension --------------------------------------------


def _docx() -> bytes:
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


GOOD = {
    "a.pdf": b"%PDF-1.7\n...",
    "a.docx": _docx(),
    "a.ofd": b"PK\x03\x04rest",
    "a.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
    "a.jpg": b"\xff\xd8\xff\xe0rest",
    "a.jpeg": b"\xff\xd8\xff\xe1rest",
    "a.png": b"\x89PNG\r\n\x1a\nrest",
}
BAD = {
    "a.pdf": b"MZ\x90\x00 not a pdf",
    "a.docx": b"%PDF-1.7",
    "a.doc": b"<html>",
    "a.jpg": b"\x89PNG\r\n\x1a\n",
    "a.png": b"GIF89a",
    "a.ofd": b"plain text",
}


@pytest.mark.parametrize("name", GOOD)
def test_attachment_with_matching_signature_is_accepted(name, make, users):
    draft = make("draft")
    attachment = services.suggestion_attach(
        actor=users["deputy"], suggestion=draft, upload=SimpleUploadedFile(name, GOOD[name])
    )
    assert attachment.name == name


@pytest.mark.parametrize("name", BAD)
def test_attachment_with_wrong_signature_is_refused(name, make, users):
    draft = make("draft")
    with pytest.raises(DomainError) as exc:
        services.suggestion_attach(
            actor=users["deputy"], suggestion=draft, upload=SimpleUploadedFile(name, BAD[name])
        )
    assert exc.value.field == "file"
    assert "文件内容" in exc.value.message
    assert draft.attachments.count() == 0


@pytest.mark.parametrize("make_file", ["entity_bomb", "huge_string"])
def test_a_hostile_office_attachment_is_refused_before_anyone_opens_it(make_file, make, users):
    from renda.core.tests import test_uploads

    draft = make("draft")
    with pytest.raises(DomainError) as exc:
        services.suggestion_attach(
            actor=users["deputy"],
            suggestion=draft,
            upload=SimpleUploadedFile("a.docx", getattr(test_uploads, make_file)()),
        )
    assert exc.value.field == "file" and "附件" in exc.value.message
    assert draft.attachments.count() == 0


def test_reply_letter_with_wrong_signature_is_refused(make, users):
    suggestion = make("assigned")
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    services.contact_add(
        actor=users["unit"],
        suggestion=suggestion,
        contacted_on=timezone.localdate() - datetime.timedelta(days=0),
        way="phone",
        content="电话联系",
    )
    suggestion.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.reply_submit(
            actor=users["unit"],
            suggestion=suggestion,
            category="A",
            text="已办理",
            signer="张局长",
            letter=SimpleUploadedFile("reply.pdf", b"this is not a pdf"),
        )
    assert exc.value.field == "letter"
    suggestion.refresh_from_db()
    assert suggestion.state == State.ASSIGNED
    assert suggestion.replies.count() == 0
