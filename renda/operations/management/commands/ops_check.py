"""The periodic operations check: stale jobs, worker, queue, disk, holiday calendar, denial bursts."""

import json

from django.core.management.base import BaseCommand

from renda.operations.checks import ops_check


class Command(BaseCommand):
    help = (
        "运维巡检：处理中断的后台任务，检查后台任务进程、排队、磁盘、节假日日历和异常拒绝访问并发出告警；"
        "建议每分钟运行"
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(ops_check(), ensure_ascii=False))
