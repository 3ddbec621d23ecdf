"""Onboarding: accounts for the people in the roster — linking accounts to deputies and stations,
creating accounts in bulk with one-time initial passwords."""

from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "renda.onboarding"
    verbose_name = "账号开通"

    def ready(self):
        from .selectors import register_pickers

        register_pickers()
