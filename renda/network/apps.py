"""The liaison network (联络网络, "1+N"): stations down to every village, and what happens there."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "renda.network"
    verbose_name = "联络网络"

    def ready(self):
        from .selectors import register_pickers

        register_pickers()
