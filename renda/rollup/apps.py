"""Roll-up dashboards for city and province standing committees: province → city → county."""

from django.apps import AppConfig


class RollupConfig(AppConfig):
    name = "renda.rollup"
    label = "rollup"
    verbose_name = "汇总看板"
