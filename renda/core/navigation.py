"""The navigation each role sees: entries are shown only to users holding their permission."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .access import AUTHENTICATED, has_permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    description: str = ""  # shown on the home page tile


NAV: tuple[NavItem, ...] = (
    NavItem(_("首页"), "core:home", AUTHENTICATED),
    NavItem(_("我的履职"), "deputies:portal", "portal.use", _("查看本年度履职情况，申报履职事项")),
    NavItem(_("代表名册"), "deputies:list", "deputies.view", _("查询代表信息，导入导出代表名册")),
    NavItem(_("双联系"), "deputies:liaison", "contacts.liaison", _("联系代表、记录双联系活动")),
    NavItem(_("履职记录"), "duty_records:list", "duty_records.view", _("查看履职记录，审核代表申报")),
    NavItem(_("履职积分"), "points:schemes", "points.view", _("积分办法、积分排名、公示与异议")),
    NavItem(_("我的积分"), "points:mine", "points.mine", _("本年度履职积分、等次与公示异议")),
    NavItem(_("我的建议"), "suggestions:mine", "suggestions.submit", _("撰写、提交建议，查看办理进度并评价")),
    NavItem(_("建议议案"), "suggestions:list", "suggestions.view", _("审查、交办、督办代表建议和议案")),
    NavItem(_("承办件"), "suggestions:unit_inbox", "suggestions.handle", _("签收、办理、答复交办的建议")),
    NavItem(_("办理提醒"), "suggestions:notifications", "suggestions.handle", _("临近期限和超期的办理提醒")),
    NavItem(_("汇总看板"), "rollup:home", "rollup.view", _("全省、市（州）、县逐级汇总，点击进入下级")),
    NavItem(_("办理统计"), "suggestions:stats", "suggestions.stats", _("办结率、满意率等办理统计")),
    NavItem(_("微实事"), "suggestions:funds", "suggestions.view", _("微实事资金安排与项目进度")),
    NavItem(_("群众意见"), "opinions:list", "opinions.view", _("受理、办理和答复群众意见")),
    NavItem(_("立法征询"), "legislation:list", "legislation.view", _("法律法规草案征求意见，汇总报送")),
    NavItem(
        _("工作指导"), "guidance:home", "guidance.view", _("乡镇（街道）工作指导清单、落实看板与站点制度")
    ),
    NavItem(_("工作要点"), "workplan:list", "workplan.view", _("常委会年度工作要点、分工与进展")),
    NavItem(_("代表活动"), "activities:list", "activities.view", _("视察调研、执法检查、主题活动与考勤")),
    NavItem(_("我的活动"), "activities:portal", "activities.attend", _("活动邀请报名、请假、扫码签到")),
    NavItem(_("联络站"), "network:list", "network.view", _("联络站点、接待日、设施与经费")),
    NavItem(_("履职培训"), "training:session_list", "training.view", _("年度培训计划、培训班次、考勤与学时")),
    NavItem(_("我的培训"), "training:mine", "training.mine", _("本年度培训学时、培训记录与结业证书")),
    NavItem(_("代表述职"), "duty_reports:list", "duty_reports.view", _("安排代表述职、扫码或纸质测评与结果")),
    NavItem(_("履职档案"), "dossier:batch", "dossier.batch", _("一代表一档案：批量生成乡镇或一届代表的档案")),
    NavItem(_("宣传专栏"), "media_column:list", "media.manage", _("撰写、发布宣传专栏文章")),
    NavItem(_("部门联系"), "cooperation:department", "cooperation.view", _("本单位聘任的代表与监督活动")),
    NavItem(_("监督活动申请"), "cooperation:proposals", "cooperation.confirm", _("确认部门提出的监督活动")),
    NavItem(_("机构"), "organizations:list", "organizations.view", _("常委会工作机构、街道工委与任免")),
    NavItem(_("行政区划"), "regions:list", "regions.view", _("按县、乡镇、村逐级浏览行政区划")),
    NavItem(_("账号管理"), "accounts:user_list", "accounts.manage", _("创建和维护账号、角色与管辖范围")),
    NavItem(_("安全管理"), "accounts:security", "security.manage", _("查看登录锁定，解除锁定，核对安全策略")),
    NavItem(_("审计日志"), "audit:list", "audit.view", _("查询操作记录，导出审计日志")),
)


def nav_for(user) -> list[NavItem]:
    return [item for item in NAV if has_permission(user, item.permission)]
