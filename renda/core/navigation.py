"""The navigation each role sees: entries are shown only to users holding their permission."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .access import AUTHENTICATED, has_permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV: tuple[NavItem, ...] = (
    NavItem(_("首页"), "core:home", AUTHENTICATED),
    NavItem(_("我的履职"), "deputies:portal", "portal.use"),
    NavItem(_("代表名册"), "deputies:list", "deputies.view"),
    NavItem(_("履职记录"), "duty_records:list", "duty_records.view"),
    NavItem(_("行政区划"), "regions:list", "regions.view"),
    NavItem(_("账号管理"), "accounts:user_list", "accounts.manage"),
    NavItem(_("安全管理"), "accounts:security", "security.manage"),
    NavItem(_("审计日志"), "audit:list", "audit.view"),
)


def nav_for(user) -> list[NavItem]:
    return [item for item in NAV if has_permission(user, item.permission)]
