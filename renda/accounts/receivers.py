"""Login events become audit records (these are framework signals, not business rules)."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from renda.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["renda_login_at"] = now
        request.session["renda_seen_at"] = now
    audit_record(action="auth.login", actor=user, obj=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        from .services import api_tokens_revoke_for_session

        reason = getattr(request, "renda_logout_reason", "auth.logout")
        audit_record(action=reason, actor=user, obj=user)
        session = getattr(request, "session", None)
        if session is not None:
            # The tokens issued within this session end with it (issue 13 §1).
            api_tokens_revoke_for_session(user=user, session_key=session.session_key or "")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(action="auth.login_failed", outcome="failure", username=credentials.get("username", ""))


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(action="auth.lockout", outcome="denied", username=username or "", detail=f"ip={ip_address}")
