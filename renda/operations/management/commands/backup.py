"""Write an encrypted backup: database, media files, manifest with checksums (renda/operations/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "生成加密备份（数据库、媒体文件、带校验和的清单），密钥为 RENDA_BACKUP_KEY；建议每日运行并异地保存"

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=None, help="备份目录（默认 RENDA_BACKUP_DIR）")

    def handle(self, *args, output_dir: str | None, **options):
        target = Path(output_dir or settings.RENDA_BACKUP_DIR)
        try:
            path = backup_create(output_dir=target, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{path}（{path.stat().st_size} 字节）"))
