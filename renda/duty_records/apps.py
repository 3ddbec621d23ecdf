"""Duty records (履职记录): the spine — one fact per thing a deputy did."""

from django.apps import AppConfig


class DutyRecordsConfig(AppConfig):
    name = "renda.duty_records"
    verbose_name = "履职记录"

    def ready(self):
        from . import queues

        queues.register()
