"""Accounts, roles, jurisdiction and login security."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = "账号"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the login-event audit receivers
        from .selectors import register_pickers

        register_pickers()
