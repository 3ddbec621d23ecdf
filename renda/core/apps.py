"""The shared kernel: base model, errors, access and jurisdiction, crypto, htmx helpers."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renda.core"
    verbose_name = "核心"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
