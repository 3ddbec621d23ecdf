"""Background jobs the user can watch: a record with progress for every long task."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "renda.jobs"
    verbose_name = "后台任务"
