"""Recompute open suggestions' deadlines after the working calendar changed (a package upgrade, a holiday
added to RENDA_HOLIDAYS). Also run at the start of every suggestion_reminders run. Idempotent."""

from django.core.management.base import BaseCommand

from renda.suggestions.deadlines import deadlines_refresh


class Command(BaseCommand):
    help = "按现行工作日历重新计算办理中建议的期限（已办结的不变，已批准延期的不变）"

    def handle(self, *args, **options):
        self.stdout.write(f"期限有变化的承办 {deadlines_refresh()} 件")
