"""The top floor: commands that orchestrate every app (demo data, benchmark, backup, health, alerts)."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "renda.operations"
    verbose_name = "运维"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the alert receivers)
