"""Duty reports to constituents (代表述职): scheduling, the report, evaluation by ballot, the result."""

from django.apps import AppConfig


class DutyReportsConfig(AppConfig):
    name = "renda.duty_reports"
    verbose_name = "代表述职"

    def ready(self):
        from .selectors import register_pickers

        register_pickers()
