"""The append-only audit log (审计日志)."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "renda.audit"
    verbose_name = "审计"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the access-denied receiver
