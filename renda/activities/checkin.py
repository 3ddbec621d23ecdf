"""Check-in codes (签到码): a signed token tied to one activity and valid only in its time window.

The token is `django.core.signing.TimestampSigner` over {"a": activity id, "s": start as a Unix
timestamp}, with its own salt, so it cannot be forged without SECRET_KEY, cannot be reused for another
activity, and stops working when the activity is moved (the start changes). It is accepted from
RENDA_CHECKIN_GRACE_MINUTES before the start to the same after the end; the signature itself expires
after RENDA_CHECKIN_TOKEN_MAX_AGE_DAYS (a code printed on paper days ahead still works on the day).
A photo of the code sent home therefore fails the day after, whoever scans it.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import DomainError

from .models import Activity

SALT = "renda.activities.checkin"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    grace = datetime.timedelta(minutes=settings.RENDA_CHECKIN_GRACE_MINUTES)
    return activity.starts_at - grace, activity.ends_at + grace


def checkin_token(activity: Activity) -> str:
    """A fresh code for `activity` (URL-safe)."""
    return _signer().sign_object({"a": activity.pk, "s": int(activity.starts_at.timestamp())})


def checkin_path(activity: Activity, token: str | None = None) -> str:
    """The path the QR code encodes: the deputy's phone opens it, logs in, and is checked in."""
    return reverse("activities:checkin", args=[activity.pk]) + "?t=" + (token or checkin_token(activity))


def checkin_verify(activity: Activity, token: str, *, now: datetime.datetime | None = None) -> None:
    """Accept `token` for `activity` now, or raise DomainError(field="token") saying why in Chinese."""
    now = now or timezone.now()
    try:
        data = _signer().unsign_object(
            token or "", max_age=datetime.timedelta(days=settings.RENDA_CHECKIN_TOKEN_MAX_AGE_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise DomainError(_("签到码已过期，请扫描现场最新的签到码"), field="token") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise DomainError(_("签到码无效，请确认扫描的是本次活动现场的签到码"), field="token") from exc
    if not isinstance(data, dict) or data.get("a") != activity.pk:
        raise DomainError(_("该签到码不属于本次活动，请扫描本次活动现场的签到码"), field="token")
    if data.get("s") != int(activity.starts_at.timestamp()):
        raise DomainError(_("活动时间已调整，该签到码已失效，请扫描现场最新的签到码"), field="token")
    if activity.state == Activity.State.CANCELLED:
        raise DomainError(_("该活动已取消，无需签到"), field="token")
    opens, closes = window(activity)
    if now < opens:
        raise DomainError(
            _("签到尚未开始，请于%(t)s后扫码签到")
            % {"t": timezone.localtime(opens).strftime("%m月%d日 %H:%M")},
            field="token",
        )
    if now > closes:
        raise DomainError(_("签到码已过期：本次活动的签到时间已结束"), field="token")
