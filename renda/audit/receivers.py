"""The kernel's refusals become audit records (connected in AuditConfig.ready)."""

from django.dispatch import receiver

from renda.core.signals import access_denied

from .services import audit_record


@receiver(access_denied)
def on_access_denied(sender, *, detail: str, actor=None, obj=None, **kwargs):
    audit_record(action="access.denied", outcome="denied", actor=actor, obj=obj, detail=detail)
