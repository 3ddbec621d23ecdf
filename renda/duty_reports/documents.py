"""The printable sheet of one-time voting codes: A4, 3 × 4 QR codes a page, each with its number and
the code in letters (for a phone that cannot scan). WeasyPrint with the Noto CJK fonts."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from renda.network.posters import qr_svg

from .models import DutyReport, VoteCode


def vote_url(code: VoteCode | str, *, base_url: str) -> str:
    """The absolute address a code's QR opens; RENDA_PUBLIC_BASE_URL wins (paper outlives host names)."""
    base = (getattr(settings, "RENDA_PUBLIC_BASE_URL", "") or base_url or "").rstrip("/")
    value = code.code if isinstance(code, VoteCode) else code
    return base + reverse("duty_reports:vote", args=[value])


def codes_sheet_pdf(report: DutyReport, *, base_url: str) -> bytes:
    """PDF bytes of every unused code of `report` (a used code is not printed again)."""
    from weasyprint import HTML

    codes = [
        {"number": c.number, "code": c.code, "qr": qr_svg(vote_url(c, base_url=base_url))}
        for c in report.vote_codes.filter(used_at__isnull=True).order_by("number")
    ]
    html = render_to_string("duty_reports/codes_pdf.html", {"report": report, "codes": codes})
    return HTML(string=html).write_pdf()
