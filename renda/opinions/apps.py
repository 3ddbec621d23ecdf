"""Constituents' opinions (群众意见): intake at stations and by deputies, handling, replies, tracking."""

from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "renda.opinions"
    verbose_name = "群众意见"

    def ready(self):
        from . import queues
        from .selectors import register_pickers

        queues.register()
        register_pickers()
