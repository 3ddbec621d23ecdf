"""Send the day's reminders on guidance items. Idempotent: run it daily, or more often."""

import datetime

from django.core.management.base import BaseCommand

from renda.guidance.reminders import guidance_reminders_send
from renda.notifications.services import SendTally


class Command(BaseCommand):
    help = "发送工作指导事项提醒（到期前、到期当日、逾期后每隔数日；可重复运行，不会重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        tally = SendTally()
        guidance_reminders_send(today=today, tally=tally)
        self.stdout.write(tally.report())
