"""Training certificates (结业证书): one A4 page per attendee of a closed session, WeasyPrint with
Noto CJK fonts (as the suggestion record and the station posters)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import DomainError

from .models import Attendee, TrainingSession
from .selectors import attendee_total_hours


def certificate_issuer(session: TrainingSession) -> str:
    """The standing committee of the session's congress (大方县第十八届人民代表大会 → 大方县人大常委会)."""
    region = session.congress.region.name
    return f"{region}人大常委会"


def certificate_pdf(attendee: Attendee) -> bytes:
    """The certificate of one attendee: name, the session, its dates and place, their hours.

    Raises DomainError while the session is open or when the attendee has no hours.
    """
    from weasyprint import HTML

    session = attendee.session
    if session.state != TrainingSession.State.CLOSED:
        raise DomainError(_("培训结班后才能打印结业证书"), field="session")
    hours = attendee_total_hours(attendee=attendee)
    if hours <= 0:
        raise DomainError(_("%(n)s没有考勤学时，不能打印结业证书") % {"n": attendee.name}, field="attendee")
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "attendee": attendee,
            "session": session,
            "hours": hours,
            "issuer": certificate_issuer(session),
            "issued_on": session.closed_at and timezone.localtime(session.closed_at).date(),
            "number": f"{session.starts_on:%Y}-{session.pk:04d}-{attendee.pk:05d}",
        },
    )
    return HTML(string=html).write_pdf()
