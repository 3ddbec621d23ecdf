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
    NavItem(_("双联系"), "deputies:liaison", "contacts.liaison"),
    NavItem(_("履职记录"), "duty_records:list", "duty_records.view"),
    NavItem(_("我的建议"), "suggestions:mine", "suggestions.submit"),
    NavItem(_("建议议案"), "suggestions:list", "suggestions.view"),
    NavItem(_("承办件"), "suggestions:unit_inbox", "suggestions.handle"),
    NavItem(_("办理提醒"), "suggestions:notifications", "suggestions.handle"),
    NavItem(_("办理统计"), "suggestions:stats", "suggestions.stats"),
    NavItem(_("微实事"), "suggestions:funds", "suggestions.view"),
    NavItem(_("群众意见"), "opinions:list", "opinions.view"),
    NavItem(_("立法征询"), "legislation:list", "legislation.view"),
    NavItem(_("联络站"), "network:list", "network.view"),
    NavItem(_("接待日"), "network:reception_list", "network.view"),
    NavItem(_("机构"), "organizations:list", "organizations.view"),
    NavItem(_("行政区划"), "regions:list", "regions.view"),
    NavItem(_("账号管理"), "accounts:user_list", "accounts.manage"),
    NavItem(_("安全管理"), "accounts:security", "security.manage"),
    NavItem(_("审计日志"), "audit:list", "audit.view"),
)


def nav_for(user) -> list[NavItem]:
    return [item for item in NAV if has_permission(user, item.permission)]
