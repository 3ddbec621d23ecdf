"""Station posters: the absolute link to a station's public opinion form and its QR code."""

import segno
from django.conf import settings

from .models import Station


def opinion_url(station: Station, *, request=None) -> str:
    """The absolute address printed on the poster and encoded in its QR code.

    RENDA_PUBLIC_BASE_URL (e.g. https://rd.dafang.gov.cn) wins when set, because a printed poster
    outlives whatever host name the page happened to be opened under.
    """
    base = (getattr(settings, "RENDA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + station.opinion_path
    if request is not None:
        return request.build_absolute_uri(station.opinion_path)
    return station.opinion_path


def qr_svg(payload: str, *, title: str = "") -> str:
    """An inline SVG QR code (error correction M survives a little dirt on a printed poster).

    Sized by its viewBox only, so that the stylesheet decides how large it prints.
    """
    qr = segno.make(payload, error="m", micro=False)
    return qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True, title=title or None)


def poster_pdf(html: str, *, base_url: str) -> bytes:
    """Render the poster's HTML to an A4 PDF with WeasyPrint (Noto CJK fonts installed).

    The stylesheet is read from disk: fetching it over HTTP from our own server would be slow and
    would fail where the server cannot reach itself.
    """
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("network/poster.css"))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[stylesheet])
