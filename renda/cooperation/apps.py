"""Department cooperation (五员): a department sees the deputies it appointed and proposes supervision
activities that county staff confirm."""

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "renda.cooperation"
    verbose_name = "部门联系"

    def ready(self):
        from .selectors import register_pickers

        register_pickers()
