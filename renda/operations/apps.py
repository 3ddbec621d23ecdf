"""The top floor: commands that orchestrate every app (demo data, benchmark, backup)."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "renda.operations"
    verbose_name = "运维"
