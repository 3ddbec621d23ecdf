"""Delete roster imports checked but not confirmed after RENDA_ROSTER_IMPORT_RETENTION_HOURS. Run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from renda.deputies.imports import roster_import_prune


class Command(BaseCommand):
    help = (
        "删除检查后超过保留时间仍未确认的代表名册导入及其加密文件（文件含身份证号码，默认保留72小时），"
        "建议每日运行"
    )

    def handle(self, *args, **options):
        removed = roster_import_prune(older_than_hours=settings.RENDA_ROSTER_IMPORT_RETENTION_HOURS)
        self.stdout.write(f"已删除 {removed} 个未确认的名册导入")
