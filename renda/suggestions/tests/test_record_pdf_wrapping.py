"""The record PDF wraps long URLs and unbroken strings instead of letting them run off the page: checked on
the rendered PDF's text positions (every line of text starts and ends inside the page)."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from renda.suggestions import documents
from renda.suggestions.models import Reply, Suggestion

URL = "https://www.dafang.gov.cn/zwgk/zfxxgkml/" + "a1b2c3d4e5" * 25 + "/index.html?id=" + "9" * 60


def _lines(pdf: bytes):
    """(page width, [(x, font size, text)]) of every text run drawn."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    runs = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = cm[0] or 1
            runs.append(((tm[4] * cm[0] + cm[4]), size * scale, text.strip()))

    for page in pages:
        page.extract_text(visitor_text=visit)
    return float(pages[0].mediabox.width), runs


def _inside(pdf: bytes, marker: str) -> None:
    width, runs = _lines(pdf)
    pieces = [r for r in runs if marker in r[2] or r[2] in URL]
    assert pieces, runs[:20]
    for x, size, text in runs:
        # Latin letters and digits are at most ~0.6 em wide in the fonts used; a run longer than the
        # page can hold is one that was not wrapped.
        assert 0 <= x < width and x + 0.45 * size * len(text) <= width, (x, size, len(text), text[:40])


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unbroken=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-/.", min_size=150, max_size=400))
def test_the_record_pdf_wraps_long_urls_and_unbroken_strings(unbroken, make):
    suggestion = make("replied")
    Suggestion.objects.filter(pk=suggestion.pk).update(
        body=f"详见：{URL}\n\n{unbroken}",
        title=("T" + unbroken)[: Suggestion._meta.get_field("title").max_length],
    )
    Reply.objects.filter(suggestion=suggestion).update(text="答复附件：" + URL)
    suggestion.refresh_from_db()
    _inside(documents.record_pdf(suggestion), "dafang")
