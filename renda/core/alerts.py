"""Alerts that reach a person: a pluggable channel (log by default, e-mail, a webhook URL).

`alert_raise(kind=..., title=..., ...)` sends one alert through every channel named in
RENDA_ALERT_CHANNELS (comma separated: "log", "email", "webhook", or a dotted class path). The same
kind and key are sent at most once per RENDA_ALERT_REPEAT_SECONDS (per process, through the cache), so a
burst of failures is one alert, not a flood. A channel that fails is logged and never breaks the
caller: an alert must not turn a 500 into two.

Channels:
- log: the "renda.alerts" logger (WARNING, or CRITICAL), which production ships off the machine.
- email: Django's send_mail to RENDA_ALERT_EMAILS (comma separated), from DEFAULT_FROM_EMAIL.
- webhook: POST of JSON {kind, severity, title, detail, at, site} to RENDA_ALERT_WEBHOOK_URL (e.g. a
  WeCom/DingTalk bridge), timeout RENDA_ALERT_WEBHOOK_TIMEOUT seconds; with RENDA_ALERT_WEBHOOK_SECRET
  the body is signed: header X-Renda-Signature = hex HMAC-SHA256(secret, body).
"""

import hashlib
import hmac
import json
import logging
import urllib.request
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("renda.alerts")

WARNING, CRITICAL = "warning", "critical"


@dataclass
class Alert:
    kind: str  # e.g. "lockout", "denials", "server_error", "worker_dead", "export_failed"
    title: str  # one line in Chinese
    detail: str = ""
    severity: str = WARNING
    at: str = field(default_factory=lambda: timezone.now().isoformat())
    site: str = field(default_factory=lambda: getattr(settings, "RENDA_PUBLIC_BASE_URL", "") or "")


class LogChannel:
    def send(self, alert: Alert) -> None:
        level = logging.CRITICAL if alert.severity == CRITICAL else logging.WARNING
        logger.log(level, "[%s] %s %s", alert.kind, alert.title, alert.detail)


class EmailChannel:
    def send(self, alert: Alert) -> None:
        recipients = [a.strip() for a in settings.RENDA_ALERT_EMAILS.split(",") if a.strip()]
        if not recipients:
            return
        subject = f"[人大履职通告警][{'严重' if alert.severity == CRITICAL else '警告'}] {alert.title}"
        send_mail(subject, f"{alert.title}\n\n{alert.detail}\n\n时间：{alert.at}", None, recipients)


class WebhookChannel:
    def send(self, alert: Alert) -> None:
        url = settings.RENDA_ALERT_WEBHOOK_URL
        if not url:
            return
        if not url.startswith(("https://", "http://")):
            raise ValueError("RENDA_ALERT_WEBHOOK_URL must be an http(s) URL")
        body = json.dumps(asdict(alert), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "renda-alerts"}
        secret = settings.RENDA_ALERT_WEBHOOK_SECRET
        if secret:
            headers["X-Renda-Signature"] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=settings.RENDA_ALERT_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            response.read(1024)


CHANNELS = {"log": LogChannel, "email": EmailChannel, "webhook": WebhookChannel}


def channels() -> list:
    found = []
    for name in settings.RENDA_ALERT_CHANNELS.split(","):
        name = name.strip()
        if name:
            found.append((CHANNELS.get(name) or import_string(name))())
    return found


def alert_raise(*, kind: str, title: str, detail: str = "", severity: str = WARNING, key: str = "") -> bool:
    """Send an alert unless the same (kind, key) was sent within RENDA_ALERT_REPEAT_SECONDS.
    Returns True when sent. Never raises."""
    try:
        digest = hashlib.sha256(f"{kind}|{key}".encode()).hexdigest()[:32]
        if not cache.add(f"renda-alert:{digest}", 1, settings.RENDA_ALERT_REPEAT_SECONDS):
            return False
    except Exception:  # no cache: send rather than stay silent
        logger.debug("alert de-duplication unavailable", exc_info=True)
    alert = Alert(kind=kind, title=title, detail=detail[:2000], severity=severity)
    for channel in channels():
        try:
            channel.send(alert)
        except Exception as exc:
            logger.error("alert channel %s failed: %s", type(channel).__name__, exc)
    return True
