"""Send the day's deadline reminders for suggestions. Idempotent: run it daily, or more often."""

import datetime

from django.core.management.base import BaseCommand

from renda.notifications.services import SendTally
from renda.suggestions.reminders import reminders_send


class Command(BaseCommand):
    help = "发送建议办理期限提醒（到期前、到期当日、超期后每隔数日；可重复运行，不会重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        tally = SendTally()
        reminders_send(today=today, tally=tally)
        self.stdout.write(tally.report())
