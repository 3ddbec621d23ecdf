"""Remove audit entries older than the retention period (never younger than 184 days). Run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from renda.audit.services import audit_prune


class Command(BaseCommand):
    help = "删除超过保存期限的审计记录（保存期限不少于184天），建议每日运行"

    def handle(self, *args, **options):
        removed = audit_prune()
        days = max(settings.RENDA_AUDIT_RETENTION_DAYS, settings.RENDA_AUDIT_MIN_RETENTION_DAYS)
        self.stdout.write(f"已删除 {removed} 条超过 {days} 天的审计记录")
