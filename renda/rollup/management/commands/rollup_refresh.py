"""Recompute the roll-up figures kept per county (RegionFigures). A periodic job (RENDA_PERIODIC_JOBS)."""

from django.core.management.base import BaseCommand

from renda.rollup.selectors import figures_refresh


class Command(BaseCommand):
    help = "重新统计汇总看板按县保存的数字（定时任务）"

    def handle(self, *args, **options):
        kept = figures_refresh()
        self.stdout.write(f"已更新 {kept} 行汇总数字")
