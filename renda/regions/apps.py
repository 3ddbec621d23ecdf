"""Administrative divisions (行政区划): the tree every jurisdiction is a subtree of."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "renda.regions"
    verbose_name = "行政区划"
