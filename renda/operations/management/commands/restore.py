"""Restore an encrypted backup into an empty database and media directory, checking every row."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "把加密备份恢复到空数据库（默认 DATABASE_URL）和空的媒体目录，并逐表核对行数和校验和；"
        "需要 RENDA_BACKUP_KEY，恢复后用原来的 RENDA_FIELD_KEY / RENDA_INDEX_KEY 启动"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.rbk）")
        parser.add_argument("--database-url", default=None, help="目标数据库（默认环境变量 DATABASE_URL）")
        parser.add_argument("--media-root", default=None, help="目标媒体目录（默认 MEDIA_ROOT）")

    def handle(self, *args, archive: str, database_url: str | None, media_root: str | None, **options):
        import os

        url = (
            database_url
            or os.environ.get("DATABASE_URL")
            or f"sqlite:///{settings.DATABASES['default']['NAME']}"
        )
        try:
            manifest = backup_restore(
                archive=Path(archive),
                database_url=url,
                media_root=Path(media_root or settings.MEDIA_ROOT),
                report=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{len(manifest['tables'])} 张表、{rows} 行、"
                f"{sum(1 for f in manifest['files'] if f.startswith('media/'))} 个媒体文件，校验和全部一致"
                f"（备份时间 {manifest['created_at']}）"
            )
        )
