"""The shared kernel: base model, errors, access and jurisdiction, crypto, htmx helpers."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renda.core"
    verbose_name = "核心"
