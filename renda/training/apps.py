"""Deputies' capacity training (履职能力培训): yearly plans, sessions, attendance per day, certificates."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "renda.training"
    verbose_name = "履职培训"

    def ready(self):
        from . import sections  # noqa: F401  (adds the training section to deputies' pages)
        from .selectors import register_pickers

        register_pickers()
