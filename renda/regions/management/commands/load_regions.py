"""Load administrative divisions from a CSV with columns code,name,level,parent_code."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.core.errors import DomainError
from renda.regions.services import regions_load_csv


class Command(BaseCommand):
    help = "从CSV（code,name,level,parent_code）导入行政区划"

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args, csv_path: Path, **options):
        if not csv_path.is_file():
            raise CommandError(f"文件不存在：{csv_path}")
        try:
            with csv_path.open(encoding="utf-8-sig", newline="") as stream:
                result = regions_load_csv(stream=stream)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
