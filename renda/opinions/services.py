"""Writes to opinions: intake from the three doors, the handling flow, replies and satisfaction."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role, has_permission, scope_queryset
from renda.core.calendar import add_working_days
from renda.core.concurrency import last_change
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import validate
from renda.core.text import clean_code, clean_name, clean_text, content_fingerprint
from renda.core.throttle import client_key, throttle_hit, throttle_peek
from renda.core.validators import validate_phone
from renda.deputies.selectors import deputy_for_user
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.network.models import Station
from renda.organizations.models import Organization

from . import workflow
from .models import Opinion, OpinionEvent

# No 0/O, 1/I/L: the code is read aloud over the phone and copied from paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10
PUBLIC_LABEL = "群众"


class RateLimited(DomainError):
    status = 429


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def tracking_code_normalize(value: str) -> str:
    """What a person types: the core code policy (full-width ７ＫＱ２ folded, invisible characters gone),
    then spaces, dashes and lower case forgiven."""
    return "".join(ch for ch in clean_code(value).upper() if ch.isascii() and ch.isalnum())


def tracking_code_plausible(value: str) -> bool:
    """Could `value` be a tracking code at all? Malformed input is answered without a lookup."""
    code = tracking_code_normalize(value)
    return len(code) == TRACKING_LENGTH and all(ch in TRACKING_ALPHABET for ch in code)


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return PUBLIC_LABEL
    if actor.role == Role.HANDLING_UNIT and actor.organization_id:
        # A department answers as itself: the timeline names the department, not only the clerk.
        return f"{actor.organization.name}（{actor.display_name}）"[:60]
    return f"{actor.display_name}（{actor.get_role_display()}）"[:60]


def _clean_input(
    *, title: str, content: str, category: str, constituent_name: str, constituent_phone: str
) -> dict:
    content = clean_text(content)
    if not content:
        raise DomainError(_("请填写意见内容"), field="content")
    if len(content) > 2000:
        raise DomainError(_("意见内容不能超过2000字"), field="content")
    title = clean_text(title, multiline=False)
    if not title:
        first_line = " ".join(content.split())
        title = first_line[:30] + ("…" if len(first_line) > 30 else "")
    if category not in Opinion.Category.values:
        raise DomainError(_("请选择意见类别"), field="category")
    phone = (constituent_phone or "").strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="constituent_phone") from exc
    return {
        "title": title[:100],
        "content": content,
        "category": category,
        "constituent_name": clean_name(constituent_name)[:50],
        "constituent_phone": phone,
    }


def _event(*, opinion: Opinion, action: str, from_state: str, actor, note: str = "") -> OpinionEvent:
    return OpinionEvent.objects.create(
        opinion=opinion,
        action=action,
        from_state=from_state,
        to_state=opinion.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        note=note,
        occurred_at=timezone.now(),
    )


def _opinion_new(
    *,
    actor,
    channel: str,
    station: Station | None,
    region,
    deputy=None,
    received_at: datetime.datetime | None = None,
    data: dict,
) -> Opinion:
    code = tracking_code_new()
    while Opinion.objects.filter(tracking_code=code).exists():
        code = tracking_code_new()
    opinion = Opinion(
        tracking_code=code,
        channel=channel,
        station=station,
        region=region,
        deputy=deputy,
        received_at=received_at or timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **data,
    )
    validate(opinion, exclude=["constituent_phone_index"])
    opinion.save()
    _event(opinion=opinion, action=OpinionEvent.Action.RECEIVE, from_state="", actor=actor)
    audit_record(
        action="opinion.create",
        actor=actor,
        obj=opinion,
        changes={
            "channel": channel,
            "station": str(station) if station else "",
            "region": str(region),
            "deputy": str(deputy) if deputy else "",
            "title": opinion.title,
            "constituent_phone": opinion.constituent_phone,
        },
    )
    return opinion


def opinion_submit_public(
    *,
    station: Station,
    content: str,
    category: str = Opinion.Category.OTHER,
    title: str = "",
    constituent_name: str = "",
    constituent_phone: str = "",
    client_ip: str | None = None,
) -> Opinion:
    """The QR form at a station: no account. Input is checked first — a refused submission (a mistyped
    phone) does not count toward any limit — then three limits, each a setting, per window of
    RENDA_OPINION_RATE_WINDOW_SECONDS (an hour): RENDA_OPINION_RATE_LIMIT accepted submissions per client
    address (sized for a reception day: twenty residents behind the station's one Wi-Fi router),
    RENDA_OPINION_DUPLICATE_LIMIT submissions of the same content from one address (a script repeating
    itself), and RENDA_OPINION_STATION_LIMIT submissions to one station from all addresses together."""
    if not station.is_active:
        raise DomainError(_("该站点已停用，暂不接收意见"), field="station")
    data = _clean_input(
        title=title,
        content=content,
        category=category,
        constituent_name=constituent_name,
        constituent_phone=constituent_phone,
    )
    window = settings.RENDA_OPINION_RATE_WINDOW_SECONDS
    digest = content_fingerprint(data["content"])  # U+200B or ：。 → :. is still the same content
    same = client_key(f"opinion-same:{digest}", client_ip)
    keys = [
        (client_key("opinion-form", client_ip), settings.RENDA_OPINION_RATE_LIMIT, "address"),
        (same, settings.RENDA_OPINION_DUPLICATE_LIMIT, "duplicate"),
        (f"opinion-station:{station.pk}", settings.RENDA_OPINION_STATION_LIMIT, "station"),
    ]
    for key, limit, kind in keys:
        if throttle_peek(key=key, window_seconds=window) >= limit:
            audit_record(
                action="opinion.rate_limited", outcome="denied", detail=f"station={station.pk} limit={kind}"
            )
            if kind == "duplicate":
                raise RateLimited(_("相同内容的意见已经提交过，无需重复提交。"), field="content")
            minutes = max(1, window // 60)
            raise RateLimited(_("提交过于频繁，请%(m)d分钟后再试。") % {"m": minutes})
    with transaction.atomic():
        opinion = _opinion_new(
            actor=None, channel=Opinion.Channel.QR_FORM, station=station, region=station.region, data=data
        )
        for key, limit, _kind in keys:
            throttle_hit(key=key, limit=limit, window_seconds=window)
    return opinion


def opinion_create(
    *,
    actor,
    station: Station,
    channel: str,
    content: str,
    title: str = "",
    category: str = Opinion.Category.OTHER,
    constituent_name: str = "",
    constituent_phone: str = "",
    received_at: datetime.datetime | None = None,
) -> Opinion:
    """Station or office staff enter an opinion brought in person or by phone."""
    if not has_permission(actor, "opinions.add") or actor.role == Role.DEPUTY:
        raise DomainError(_("您无权录入群众意见"))
    if channel not in (Opinion.Channel.WALK_IN, Opinion.Channel.PHONE_CALL):
        raise DomainError(_("请选择来访或来电"), field="channel")
    if station is None or not scope_queryset(Station.objects.filter(pk=station.pk), actor).exists():
        raise DomainError(_("请选择您管辖范围内的联络站点"), field="station")
    if received_at is not None and received_at > timezone.now():
        raise DomainError(_("受理时间不能晚于现在"), field="received_at")
    data = _clean_input(
        title=title,
        content=content,
        category=category,
        constituent_name=constituent_name,
        constituent_phone=constituent_phone,
    )
    with transaction.atomic():
        return _opinion_new(
            actor=actor,
            channel=channel,
            station=station,
            region=station.region,
            received_at=received_at,
            data=data,
        )


def opinion_create_by_deputy(
    *,
    actor,
    content: str,
    title: str = "",
    category: str = Opinion.Category.OTHER,
    constituent_name: str = "",
    constituent_phone: str = "",
    received_at: datetime.datetime | None = None,
) -> Opinion:
    """A deputy logs what they heard; that is a contact with constituents, so it is a duty record too."""
    deputy = deputy_for_user(user=actor) if actor.role == Role.DEPUTY else None
    if deputy is None:
        raise DomainError(_("您的账号尚未关联代表信息，不能以代表身份录入意见"))
    if received_at is not None and received_at > timezone.now():
        raise DomainError(_("受理时间不能晚于现在"), field="received_at")
    data = _clean_input(
        title=title,
        content=content,
        category=category,
        constituent_name=constituent_name,
        constituent_phone=constituent_phone,
    )
    with transaction.atomic():
        opinion = _opinion_new(
            actor=actor,
            channel=Opinion.Channel.DEPUTY,
            station=None,
            region=deputy.region,
            deputy=deputy,
            received_at=received_at,
            data=data,
        )
        duty_record_add(
            deputy=deputy,
            kind=DutyRecord.Kind.CONTACT,
            title=_("收集群众意见：%(t)s") % {"t": opinion.title},
            occurred_on=timezone.localtime(opinion.received_at).date(),
            source=opinion,
            source_url=reverse("opinions:detail", args=[opinion.pk]),
            actor=actor,
        )
    return opinion


def _already_handled(opinion: Opinion, verb: str) -> str:
    """ "该意见已由张三于12月3日 10:05当场答复，不能再当场答复。" — who moved it to its state and when
    (from the audit log), so that the second of two staff knows what happened."""
    change = last_change(opinion)
    state = opinion.get_state_display()
    done = state[1:] if state.startswith("已") else _("改为“%(s)s”") % {"s": state}
    when = _("于%(w)s") % {"w": change["when"]} if change["when"] else ""
    return _("该意见已由%(who)s%(when)s%(done)s，不能再%(v)s。") % {
        "who": change["who"],
        "when": when,
        "done": done,
        "v": verb,
    }


def _refuse(opinion: Opinion, target: str, actor) -> None:
    verb = workflow.VERBS.get(target, target)
    if target not in workflow.TRANSITIONS.get(opinion.state, {}):
        raise InvalidTransition(_already_handled(opinion, verb), field="to_state")
    raise InvalidTransition(
        _("%(r)s不能对“%(s)s”的意见执行“%(v)s”")
        % {"r": actor.get_role_display(), "s": opinion.get_state_display(), "v": verb},
        field="to_state",
    )


def opinion_transition(
    *,
    opinion: Opinion,
    to_state: str,
    actor,
    note: str = "",
    reply: str = "",
    department: Organization | None = None,
    merged_into: Opinion | None = None,
    deputy=None,
) -> Opinion:
    """Move an opinion along the state table; one event row and one audit record per step."""
    note, reply = (note or "").strip(), (reply or "").strip()
    with transaction.atomic():
        # Lock the row so that two people handling the same opinion cannot both move it.
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        role = getattr(actor, "role", "")
        if not has_permission(actor, "opinions.handle") or not workflow.is_allowed(
            current.state, to_state, role
        ):
            _refuse(current, to_state, actor)
        old_state = current.state
        changes: dict[str, list] = {"state": [old_state, to_state]}
        fields = ["state", "updated_at"]
        required = workflow.REQUIRES.get(to_state)
        if required == "reply":
            if not reply:
                raise DomainError(_("请填写答复群众的内容"), field="reply")
            current.reply, current.replied_at = reply, timezone.now()
            # A new answer may be rated afresh (a 不满意 that sent it back stays in the events).
            current.satisfaction = ""
            fields += ["reply", "replied_at", "satisfaction"]
            changes["reply"] = ["", reply]
        elif required == "department":
            if department is None or department.kind != Organization.Kind.HANDLING_UNIT:
                raise DomainError(_("请选择承办部门"), field="department")
            # The opinion's own county's departments only (several counties share one deployment).
            county = "/".join([p for p in current.region.path.split("/") if p][:3]) + "/"
            if not department.region.path.startswith(county):
                raise DomainError(
                    _("%(d)s（%(r)s）不是本意见所在县的部门，不能转交")
                    % {"d": department.name, "r": department.region.name},
                    field="department",
                )
            changes["department"] = [current.department, department]
            current.department = department
            current.department_due_on = add_working_days(
                timezone.localdate(), settings.RENDA_OPINION_REFERRAL_WORKING_DAYS
            )
            current.department_replied_at = None
            fields += ["department", "department_due_on", "department_replied_at"]
            changes["department_due_on"] = ["", current.department_due_on]
        elif required == "deputy":
            if role == Role.DEPUTY:
                deputy = deputy_for_user(user=actor)
            deputy = deputy or current.deputy
            if deputy is None:
                raise DomainError(_("请选择提出建议的代表"), field="deputy")
            if deputy != current.deputy:
                changes["deputy"] = [current.deputy, deputy]
                current.deputy = deputy
                fields.append("deputy")
        elif required == "merged_into":
            if merged_into is None or merged_into.pk == current.pk:
                raise DomainError(_("请选择要合并到的另一条意见"), field="merged_into")
            # Read the target afresh: a copy held by the caller may predate its own merge.
            merged_into = Opinion.objects.select_for_update().get(pk=merged_into.pk)
            if merged_into.state == Opinion.State.MERGED:
                raise DomainError(_("不能合并到一条已被合并的意见，请选择原意见"), field="merged_into")
            if current.duplicates.exists():
                raise DomainError(_("已有其他意见合并到这条意见，不能再把它合并出去"), field="merged_into")
            current.merged_into = merged_into
            fields.append("merged_into")
            changes["merged_into"] = ["", f"{merged_into.pk} {merged_into.title}"]
        if required == "note" and not note:
            raise DomainError(_("请填写办理说明"), field="note")
        current.state = to_state
        current.save(update_fields=fields)
        _event(
            opinion=current,
            action=OpinionEvent.Action.TRANSITION,
            from_state=old_state,
            actor=actor,
            note=note or reply,
        )
        audit_record(action="opinion.transition", actor=actor, obj=current, changes=changes, detail=note)
    return current


def opinion_reply(*, opinion: Opinion, reply: str, actor) -> Opinion:
    """Give the constituent (again) the answer, e.g. what the department said after a referral."""
    reply = (reply or "").strip()
    with transaction.atomic():
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if not has_permission(actor, "opinions.handle") or actor.role not in workflow.STATION:
            raise InvalidTransition(_("您无权答复群众意见"))
        if current.state not in workflow.REPLY_STATES:
            raise InvalidTransition(
                _("“%(s)s”的意见不能在此答复") % {"s": current.get_state_display()}, field="reply"
            )
        if not reply:
            raise DomainError(_("请填写答复群众的内容"), field="reply")
        old = current.reply
        current.reply, current.replied_at = reply, timezone.now()
        if reply != old:
            current.satisfaction = ""  # the resident may rate the new answer
        current.save(update_fields=["reply", "replied_at", "satisfaction", "updated_at"])
        _event(
            opinion=current,
            action=OpinionEvent.Action.REPLY,
            from_state=current.state,
            actor=actor,
            note=reply,
        )
        audit_record(action="opinion.reply", actor=actor, obj=current, changes={"reply": [old, reply]})
    return current


def opinion_rate(*, opinion: Opinion, satisfaction: str, actor=None, note: str = "") -> Opinion:
    """The constituent's satisfaction with the reply: given by them on the tracking page (once per
    answer), or recorded by staff who reached them by phone; `note` is the reason (≤200 characters).

    不满意 sends an answered, referred or closed opinion back to 已受理 (as a suggestion's 不满意 sends
    it back to its unit): the office handles it again (已重新办理 on the resident's page), the
    department that answered keeps it in view, and the next answer may be rated afresh.
    The event keeps the old and new state and the reason. Raises DomainError (satisfaction, note),
    InvalidTransition (no answer yet, already rated, not the actor's to record)."""
    public = actor is None or not getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if not public and (
            not has_permission(actor, "opinions.handle") or actor.role not in workflow.STATION
        ):
            raise InvalidTransition(_("您无权记录满意度"))
        if satisfaction not in Opinion.Satisfaction.values:
            raise DomainError(_("请选择满意度"), field="satisfaction")
        if not current.reply or current.state == Opinion.State.MERGED:
            raise InvalidTransition(_("该意见尚未答复，暂不能评价"), field="satisfaction")
        if public and current.satisfaction:
            raise InvalidTransition(_("您已评价过，感谢您的反馈"), field="satisfaction")
        reason = clean_text(note or "", multiline=False)
        if len(reason) > 200:
            raise DomainError(_("不满意的原因不能超过200字"), field="note")
        old = current.satisfaction
        old_state = current.state
        current.satisfaction = satisfaction
        fields = ["satisfaction", "updated_at"]
        changes: dict[str, list] = {"satisfaction": [old, satisfaction]}
        if (
            satisfaction == Opinion.Satisfaction.DISSATISFIED
            and current.state in workflow.REOPEN_WHEN_DISSATISFIED
        ):
            current.state = Opinion.State.RECEIVED
            # The office decides again; the department's deadline ends with the answer the resident
            # refused, but the department stays named: it keeps reading the opinion it answered (and
            # answers again if the office refers it back), and the resident's page still names it.
            current.department_due_on = None
            fields += ["state", "department_due_on"]
            changes["state"] = [old_state, current.state]
        current.save(update_fields=fields)
        _event(
            opinion=current,
            action=OpinionEvent.Action.RATE,
            from_state=old_state,
            actor=actor,
            note="：".join(filter(None, [current.get_satisfaction_display(), reason])),
        )
        audit_record(action="opinion.rate", actor=actor, obj=current, changes=changes)
    return current


def _department_part(actor, opinion_pk: int) -> Opinion:
    """The referred opinion, locked, if `actor` is the department it was referred to."""
    current = Opinion.objects.select_for_update(of=("self",)).select_related("department").get(pk=opinion_pk)
    if (
        getattr(actor, "role", None) != Role.HANDLING_UNIT
        or not actor.organization_id
        or current.department_id != actor.organization_id
    ):
        raise InvalidTransition(_("只有意见转交的承办部门可以答复或退回"))
    if current.state != Opinion.State.REFERRED:
        raise InvalidTransition(
            _("“%(s)s”的意见不能由部门答复或退回") % {"s": current.get_state_display()}, field="text"
        )
    return current


def opinion_department_reply(
    *, actor, opinion: Opinion, reply: str, at: datetime.datetime | None = None
) -> Opinion:
    """The department an opinion was referred to answers it; the resident's tracking page shows the
    answer (it becomes the opinion's reply) and the office then closes it. An answer after
    `department_due_on` is taken and marked 超期 in the event. Raises DomainError (reply),
    InvalidTransition (not this department's, not referred)."""
    reply = clean_text(reply or "")
    now = at or timezone.now()
    with transaction.atomic():
        current = _department_part(actor, opinion.pk)
        if not reply:
            raise DomainError(_("请填写部门的答复内容"), field="reply")
        late = bool(current.department_due_on and timezone.localtime(now).date() > current.department_due_on)
        old = current.reply
        current.reply, current.replied_at, current.department_replied_at = reply, now, now
        current.satisfaction = ""
        current.save(
            update_fields=["reply", "replied_at", "department_replied_at", "satisfaction", "updated_at"]
        )
        note = reply + (_("（超期答复，期限%(d)s）") % {"d": current.department_due_on} if late else "")
        _event(
            opinion=current,
            action=OpinionEvent.Action.DEPARTMENT_REPLY,
            from_state=current.state,
            actor=actor,
            note=note,
        )
        audit_record(
            action="opinion.department_reply",
            actor=actor,
            obj=current,
            changes={"reply": [old, reply], "on_time": not late},
        )
    return current


def opinion_department_return(*, actor, opinion: Opinion, reason: str) -> Opinion:
    """The department hands a referred opinion back (not its remit) with the reason: it returns to
    已受理 for the office, and the department no longer sees it. Raises DomainError (reason),
    InvalidTransition (not this department's, not referred)."""
    reason = clean_text(reason or "")
    with transaction.atomic():
        current = _department_part(actor, opinion.pk)
        if not reason:
            raise DomainError(_("请填写退回的理由"), field="reason")
        department = current.department
        current.state = Opinion.State.RECEIVED
        current.department = None
        current.department_due_on = None
        current.save(update_fields=["state", "department", "department_due_on", "updated_at"])
        _event(
            opinion=current,
            action=OpinionEvent.Action.DEPARTMENT_RETURN,
            from_state=Opinion.State.REFERRED,
            actor=actor,
            note=reason,
        )
        audit_record(
            action="opinion.department_return",
            actor=actor,
            obj=current,
            changes={"state": [Opinion.State.REFERRED, current.state], "department": [str(department), ""]},
            detail=reason,
        )
    return current


def opinion_reveal(*, actor, opinion: Opinion) -> str:
    """The constituent's phone in clear, for calling them back; every reveal is audited."""
    audit_record(action="personal_data.reveal", actor=actor, obj=opinion, detail="field=constituent_phone")
    return opinion.constituent_phone or ""


def opinion_track_allowed(*, client_ip: str | None) -> bool:
    """Lookups by tracking code are throttled too, so codes cannot be guessed in bulk."""
    return throttle_hit(
        key=client_key("opinion-track", client_ip),
        limit=settings.RENDA_OPINION_TRACK_LIMIT,
        window_seconds=settings.RENDA_OPINION_RATE_WINDOW_SECONDS,
    )
