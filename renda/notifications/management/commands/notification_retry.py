"""Retry notifications whose delivery failed, once their back-off has passed. Run every few minutes."""

from django.core.management.base import BaseCommand

from renda.notifications.services import notification_retry


class Command(BaseCommand):
    help = "重试发送失败的通知（按退避间隔；多次失败后放弃，站内通知仍保留）"

    def handle(self, *args, **options):
        done = notification_retry()
        self.stdout.write(
            f"重发成功 {done['sent']} 条，仍失败 {done['failed']} 条，放弃 {done['abandoned']} 条，"
            f"无地址 {done['skipped']} 条"
        )
