"""Delete initial-password sheets never downloaded after RENDA_CREDENTIAL_SHEET_HOURS. Run hourly or daily."""

from django.core.management.base import BaseCommand

from renda.onboarding.services import credential_sheet_prune


class Command(BaseCommand):
    help = "删除超过保存期限仍未下载的初始密码表（默认72小时）"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除 {credential_sheet_prune()} 份初始密码表")
