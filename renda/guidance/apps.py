"""Guidance of townships and streets (乡镇（街道）人大工作指导) and the stations' working rules."""

from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "renda.guidance"
    verbose_name = "工作指导"
