"""Delete finished background jobs and their result files after RENDA_JOB_RETENTION_HOURS. Run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from renda.jobs.services import job_prune


class Command(BaseCommand):
    help = "删除超过保留时间的后台任务及其结果文件（导出文件含个人信息，默认保留24小时），建议每日运行"

    def handle(self, *args, **options):
        removed = job_prune(older_than_hours=settings.RENDA_JOB_RETENTION_HOURS)
        self.stdout.write(f"已删除 {removed} 个后台任务及其文件")
