"""Check the audit log's hash chain: finds an altered, inserted or deleted entry. Exit 1 if broken."""

import sys

from django.core.management.base import BaseCommand

from renda.audit.integrity import audit_verify
from renda.audit.services import audit_fold_flush, audit_record


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改、插入或删除的记录（有问题时退出码为1），建议每日运行"

    def handle(self, *args, **options):
        audit_fold_flush()
        result = audit_verify()
        audit_record(
            action="audit.verify",
            outcome="success" if result.ok else "failure",
            detail=f"checked={result.checked} first_bad_id={result.first_bad_id or ''}",
        )
        if result.ok:
            self.stdout.write(f"校验通过：{result.message}")
            return
        self.stderr.write(
            f"校验失败：{result.message}（已校验 {result.checked} 条，问题记录 ID {result.first_bad_id}）"
        )
        sys.exit(1)
