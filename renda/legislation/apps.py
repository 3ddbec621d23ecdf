"""Legislative consultation (立法征询): drafts for comment sent to legislative liaison stations and rooms."""

from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "renda.legislation"
    verbose_name = "立法征询"

    def ready(self):
        from .selectors import register_pickers

        register_pickers()
