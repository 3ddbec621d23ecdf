"""Deputies' activities between sessions (代表活动): inspections, surveys, campaigns, attendance."""

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = "代表活动"

    def ready(self):
        from . import queues, sections
        from .selectors import register_pickers

        queues.register()
        sections.register()
        register_pickers()
