"""The media column (宣传专栏): articles on deputies' work by county staff, public once published."""

from django.apps import AppConfig


class MediaColumnConfig(AppConfig):
    name = "renda.media_column"
    verbose_name = "宣传专栏"

    def ready(self):
        from . import sections  # noqa: F401  (articles on a deputy's record page)
        from .selectors import register_pickers

        register_pickers()
