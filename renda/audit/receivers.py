"""What the kernel signals becomes audit records (connected in AuditConfig.ready): refusals, key rotation."""

from django.dispatch import receiver

from renda.core.signals import access_denied, keys_rotated, workflow_refused

from .services import audit_record


@receiver(access_denied)
def on_access_denied(sender, *, detail: str, actor=None, obj=None, **kwargs):
    audit_record(action="access.denied", outcome="denied", actor=actor, obj=obj, detail=detail)


@receiver(keys_rotated)
def on_keys_rotated(sender, *, detail: str, **kwargs):
    audit_record(action="keys.rotate", detail=detail)


@receiver(workflow_refused)
def on_workflow_refused(sender, *, detail: str, **kwargs):
    audit_record(action="workflow.refused", outcome="denied", detail=detail)
