"""Re-encrypt personal data and rebuild blind indexes under new keys, in batches, resumable."""

import os

from django.core.management.base import BaseCommand, CommandError

from renda.core.crypto import field_key, index_key, parse_key
from renda.core.errors import DomainError
from renda.core.keycheck import verify_keys
from renda.core.keyrotation import Keys, rotate_keys


class Command(BaseCommand):
    help = (
        "轮换个人信息密钥：用 RENDA_NEW_FIELD_KEY / RENDA_NEW_INDEX_KEY（环境变量，32位十六进制）"
        "重新加密所有加密字段并重建盲索引。须先停止网站和后台任务；中断后用同样的新密钥再次运行即可继续。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的行数（每批一个事务）")
        parser.add_argument("--max-batches", type=int, default=None, help="最多处理几批后暂停（分时段进行）")

    def handle(self, *args, batch_size: int, max_batches: int | None, **options):
        new_field = os.environ.get("RENDA_NEW_FIELD_KEY", "")
        new_index = os.environ.get("RENDA_NEW_INDEX_KEY", "")
        if not new_field and not new_index:
            raise CommandError(
                "请在环境变量 RENDA_NEW_FIELD_KEY 和/或 RENDA_NEW_INDEX_KEY 中给出新密钥（不要写在命令行上）"
            )
        if batch_size < 1:
            raise CommandError("--batch-size 必须大于 0")
        old = Keys(field=field_key(), index=index_key())
        new = Keys(
            field=parse_key(new_field, "RENDA_NEW_FIELD_KEY") if new_field else old.field,
            index=parse_key(new_index, "RENDA_NEW_INDEX_KEY") if new_index else old.index,
        )
        if new == old:
            raise CommandError("新密钥与当前密钥相同，无需轮换")
        verify_keys()  # the configured (old) keys must be the ones the data was written with
        try:
            done = rotate_keys(
                old=old, new=new, batch_size=batch_size, max_batches=max_batches, report=self.stdout.write
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(f"有数据既不能用旧密钥也不能用新密钥解密，已停止：{exc}") from exc
        if done:
            self.stdout.write(
                self.style.SUCCESS(
                    "密钥轮换完成。现在把 RENDA_FIELD_KEY / RENDA_INDEX_KEY 改为新密钥后"
                    "再启动网站和后台任务，"
                    "并备份新密钥（与数据备份分开保存）；旧密钥仍能解密轮换前的备份，请按备份保存期限保管。"
                )
            )
        else:
            self.stdout.write("已暂停；再次运行同一命令（同样的新密钥）将从中断处继续。")
