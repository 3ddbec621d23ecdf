"""Deputies (人大代表): people, their mandates, and the deputy's own phone portal."""

from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the job-failure receiver)
        from .selectors import register_pickers

        register_pickers()
