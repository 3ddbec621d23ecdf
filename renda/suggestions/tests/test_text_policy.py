"""Every document of a suggestion — 交办函 and 答复函 (.docx), the register (.xlsx), the record (PDF), the
yearly report — is produced whatever text is stored; what a format cannot hold is shown escaped."""

import io

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from renda.suggestions import documents
from renda.suggestions.models import Reply, Suggestion

nasty = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        st.sampled_from(["\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\u200b", "𠮷"]),
    ),
    min_size=1,
    max_size=40,
)


def _docx(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=nasty, body=nasty, reply=nasty)
def test_every_suggestion_document_is_produced_whatever_is_stored(title, body, reply, make):
    suggestion = make("replied")
    Suggestion.objects.filter(pk=suggestion.pk).update(title="标题" + title, body=body)
    Reply.objects.filter(suggestion=suggestion).update(text=reply, signer=title[:20])
    suggestion.refresh_from_db()
    lead = suggestion.assignments.get(role="lead")
    handover = _docx(documents.handover_letter_docx(suggestion, lead))
    answer = _docx(documents.reply_letter_docx(suggestion))
    if "\x07" in title:
        assert "␇" in handover and "␇" in answer
    sheet = load_workbook(
        io.BytesIO(documents.register_xlsx(Suggestion.objects.filter(pk=suggestion.pk)))
    ).active
    assert any(str(c.value).startswith("标题") for c in sheet[2])
    assert PdfReader(io.BytesIO(documents.record_pdf(suggestion))).pages


def test_a_pasted_body_is_stored_without_control_characters(make):
    suggestion = make("draft", title="关于\x07修路\n的建议", body="路面\x0b破损\r\n雨天积水")
    assert (suggestion.title, suggestion.body) == ("关于修路 的建议", "路面破损\n雨天积水")
