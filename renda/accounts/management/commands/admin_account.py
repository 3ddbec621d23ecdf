"""Create an administrator account or reset its password: the deployment's job, not the system admin's.

三权分立: the system, security and audit administrators hold separate duties, so none of them can
create or change another's account in the web interface. The people who deploy Renda run this on the
server; the change is recorded in the audit log with no web actor.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from renda.accounts.models import User
from renda.accounts.services import ADMIN_ROLES, enrolment_code_issue, user_create, user_set_password
from renda.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "创建系统管理员、安全管理员或审计管理员账号，或重设其密码（密码取自 RENDA_ADMIN_PASSWORD 或交互输入）"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username: str, role: str, full_name: str, **options):
        password = os.environ.get("RENDA_ADMIN_PASSWORD") or getpass.getpass("密码：")
        existing = User.objects.filter(username=username).first()
        try:
            if existing is None:
                user = user_create(username=username, password=password, role=role, full_name=full_name)
                self.stdout.write(f"已创建账号 {username}（{role}）")
                # Delivered with the initial password: the first authenticator needs it.
                code = enrolment_code_issue(user=user)
                self.stdout.write(f"双因素绑定码（首次绑定身份验证器时输入，只能使用一次）：{code}")
            elif existing.role != role:
                raise CommandError(f"账号 {username} 已存在，角色为 {existing.role}，不能改为 {role}")
            else:
                user_set_password(user=existing, password=password)
                self.stdout.write(f"已重设 {username} 的密码")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
