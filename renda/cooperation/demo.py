"""Demo data for department cooperation: the 县市场监管局 account (`unit_shichang`, made by the
suggestions demo, or here when absent), the renewal of
its 行风政风监督员 appointments (the first term, 2023–2026, has ended), one proposal confirmed and one
waiting for county staff. Idempotent."""

import datetime

from django.conf import settings
from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.deputies.models import ExternalRole
from renda.deputies.services import external_role_add
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import services
from .models import ActivityProposal
from .selectors import appointed_deputies

USERNAME = "unit_shichang"


def seed(*, stdout) -> None:
    market = Organization.objects.filter(name="县市场监管局").first()
    county = Region.objects.filter(code="520521").first()
    if market is None or county is None:
        return
    account = User.objects.filter(username=USERNAME).first() or user_create(
        username=USERNAME,
        password=settings.RENDA_DEMO_PASSWORD,
        role=Role.HANDLING_UNIT,
        full_name="县市场监管局办公室",
        region=county,
        organization=market,
    )
    today = timezone.localdate()
    if not appointed_deputies(organization=market).exists():
        # 续聘: everyone whose appointment by the bureau has ended is appointed again from the next day.
        ended = ExternalRole.objects.filter(organization=market, ends_on__lt=today).select_related("deputy")
        for role in ended:
            start = role.ends_on + datetime.timedelta(days=1)
            external_role_add(
                deputy=role.deputy,
                kind=ExternalRole.Kind.DEPARTMENT_APPOINTMENT,
                title=role.title,
                organization=market,
                starts_on=start,
                ends_on=start.replace(year=start.year + 3) - datetime.timedelta(days=1),
            )
    deputies = list(appointed_deputies(organization=market))
    if not deputies or ActivityProposal.objects.filter(organization=market).exists():
        return
    staff = User.objects.filter(username="county_staff").first()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    first = services.proposal_create(
        actor=account,
        organization=market,
        title="食品安全“你点我检”行风政风监督活动",
        agenda="邀请行风政风监督员随机抽检农贸市场、校园周边食品经营户，听取经营户和群众意见。",
        place="大方县城区农贸市场",
        starts_at=now + datetime.timedelta(days=10, hours=1),
        ends_at=now + datetime.timedelta(days=10, hours=4),
        deputies=deputies,
    )
    if staff is not None:
        services.proposal_decide(
            actor=staff, proposal=first, confirm=True, note="同意，请做好代表邀请和安全保障。"
        )
    services.proposal_create(
        actor=account,
        organization=market,
        title="特种设备安全监管工作监督座谈",
        agenda="通报电梯、锅炉等特种设备安全监管情况，听取监督员意见建议。",
        place="县市场监管局三楼会议室",
        starts_at=now + datetime.timedelta(days=20, hours=2),
        ends_at=now + datetime.timedelta(days=20, hours=4),
        deputies=deputies[:2],
    )
    stdout.write(f"部门联系：县市场监管局账号 {USERNAME}，聘任代表 {len(deputies)} 名，监督活动申请 2 项")
