"""The standing committee's yearly work plan (年度工作要点): items, the bodies that carry them, progress."""

from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "renda.workplan"
    verbose_name = "年度工作要点"
