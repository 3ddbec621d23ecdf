"""Duty points (履职积分): schemes as data, an append-only ledger, standings and 公示."""

from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "renda.points"
    verbose_name = "履职积分"

    def ready(self):
        from . import queues, receivers
        from .selectors import register_pickers

        receivers.connect()
        queues.register()
        register_pickers()
