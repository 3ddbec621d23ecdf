"""The consultation report (.docx) is produced whatever a resident pasted (U+0007, U+000B from chat apps):
what XML cannot hold is shown escaped, and new comments are stored without control characters."""

import io

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.legislation import services
from renda.legislation.exports import draft_report_docx
from renda.legislation.models import DraftOpinion
from renda.legislation.selectors import draft_summary

nasty = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        st.sampled_from(["\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\u200b", "𠮷"]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=nasty, name=nasty, note=nasty)
def test_the_report_is_produced_whatever_is_stored(content, name, note, draft, legislative, users):
    DraftOpinion.objects.all().delete()
    opinion = services.draft_opinion_add(
        actor=users["county_staff"],
        draft=draft,
        station=legislative["station"],
        article=None,
        contributor_kind="resident",
        content="意见",
    )
    # Rows written before the policy (or by any other path) hold the text exactly as pasted.
    DraftOpinion.objects.filter(pk=opinion.pk).update(
        content=content, contributor_name=name[:50], adoption="adopted", adoption_note=note[:300]
    )
    document = Document(io.BytesIO(draft_report_docx(draft_summary(user=users["county_staff"], draft=draft))))
    text = "\n".join(p.text for p in document.paragraphs)
    if "\x07" in content:
        assert "␇" in text


def test_a_pasted_comment_is_stored_without_control_characters(draft, legislative, users):
    opinion = services.draft_opinion_add(
        actor=users["county_staff"],
        draft=draft,
        station=legislative["station"],
        article=None,
        contributor_kind="resident",
        content="第一条\x07建议\x0b修改\r\n第二行",
    )
    assert opinion.content == "第一条建议修改\n第二行"
