"""In-app notifications (站内提醒) every app sends through one service, the inbox, and the senders."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "renda.notifications"
    verbose_name = "站内提醒"
