"""Fail running jobs whose worker vanished (no heartbeat for RENDA_JOB_STALE_SECONDS). Run every minute."""

from django.core.management.base import BaseCommand

from renda.jobs.services import job_reap_stale


class Command(BaseCommand):
    help = (
        "把处理进程已中断（超时无心跳）的后台任务标记为失败，并让相关业务（如名册导入）可以重试；"
        "建议每分钟运行"
    )

    def handle(self, *args, **options):
        count = job_reap_stale()
        self.stdout.write(f"已处理 {count} 个中断的后台任务")
