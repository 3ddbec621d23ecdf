"""One dossier per deputy (一代表一档案) and the deputy's pocket handbook (履职手册)."""

from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "renda.dossier"
    verbose_name = "代表履职档案"

    def ready(self):
        from . import sections  # noqa: F401  (links the dossier from deputies' pages and the portal)
