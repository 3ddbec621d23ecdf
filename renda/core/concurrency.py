"""Two clerks editing one record: a stamp posted with the edit form makes a stale save merge or stop, never
silently undo the other clerk's change.

The stamp (signed, so it cannot be forged) holds when the form was opened and a fingerprint of each field's
value at that moment. On save the service locks the row (SELECT … FOR UPDATE) and compares three values per
field — as the form showed it, as the clerk posts it, as the row holds it now:

- nobody else changed the field: the clerk's value is written as before;
- someone else changed it and this clerk left it as shown: their change is kept (the field is dropped from
  this save) — the deputy's new workplace survives a colleague's save of the phone number;
- both changed it to different values: nothing is written and ConcurrentUpdate (409) names who changed what
  and when (from the audit log); the form comes back with this clerk's input and a fresh stamp, so saving
  again is a decision taken knowingly. `detail["refresh"]` lists the fields to show as they now are.

Shapes: edit_stamp(instance, fields) -> str; merge_stale_edit(instance=<row locked>, stamp=str|None,
data=dict, fields=list) -> dict (the data to write). A missing stamp (API clients, imports) keeps the old
behaviour: last write wins.
"""

import datetime
import hashlib

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ConcurrentUpdate

STAMP_FIELD = "edit_stamp"
_SALT = "renda.core.concurrency"
_MAX_AGE = 7 * 24 * 3600  # an edit page left open for a week is reloaded, not merged


def _fingerprint(value) -> str:
    if isinstance(value, models.Model):
        value = value.pk
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    elif isinstance(value, models.Manager):
        value = ",".join(str(pk) for pk in sorted(value.values_list("pk", flat=True)))
    if value is None:
        value = ""
    return hashlib.sha256(str(value).encode()).hexdigest()[:16]


def edit_stamp(instance: models.Model, fields) -> str:
    """The stamp to post with an edit form of `instance` (a hidden input named STAMP_FIELD)."""
    values = {f: _fingerprint(getattr(instance, f)) for f in fields}
    return signing.dumps({"at": timezone.now().isoformat(), "f": values}, salt=_SALT)


def _who_changed(instance: models.Model, since: str) -> str:
    from renda.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        occurred_at__gt=datetime.datetime.fromisoformat(since),
        outcome="success",
    ).order_by("-occurred_at")
    entry = entries.first()
    if entry is None:
        return _("其他人")
    at = timezone.localtime(entry.occurred_at)
    return _("%(who)s（%(h)s）") % {"who": entry.actor_username or _("系统"), "h": f"{at:%m-%d %H:%M}"}


def last_change(instance: models.Model) -> dict:
    """Who last changed `instance`, when, and which fields, from the audit log:
    {"who": str, "when": "12月3日 10:05", "fields": "标题、正文" or "", "action": str} — who is 其他人
    and when is "" when the log has no successful write for it (e.g. written by an import)."""
    from renda.audit.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk), outcome="success"
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if entry is None:
        return {"who": _("其他人"), "when": "", "fields": "", "action": ""}
    at = timezone.localtime(entry.occurred_at)
    changed = [
        _label(instance, f) for f in (entry.changes or {}) if f not in ("version", "updated_at", "tokens")
    ]
    return {
        "who": entry.actor_username or _("系统"),
        "when": f"{at.month}月{at.day}日 {at:%H:%M}",
        "fields": "、".join(changed),
        "action": entry.action,
    }


def stale_message(instance: models.Model, *, tail: str = "") -> str:
    """ "该件已由张三于12月3日 10:05修改（标题、正文）。" + tail — the refusal of a stale save or step that
    says who changed what (the shape of merge_stale_edit's message, for records locked by a version)."""
    change = last_change(instance)
    when = _("于%(w)s") % {"w": change["when"]} if change["when"] else ""
    what = _("（%(f)s）") % {"f": change["fields"]} if change["fields"] else ""
    return _("保存未成功：在您打开此页后，该件已由%(who)s%(when)s修改%(what)s。%(tail)s") % {
        "who": change["who"],
        "when": when,
        "what": what,
        "tail": tail,
    }


def _label(instance: models.Model, field: str) -> str:
    try:
        return str(instance._meta.get_field(field).verbose_name)
    except Exception:
        return field


def merge_stale_edit(*, instance: models.Model, stamp: str | None, data: dict, fields) -> dict:
    """`data` as it may be written over `instance` (already locked and freshly read), or ConcurrentUpdate."""
    if not stamp:
        return data
    try:
        loaded = signing.loads(stamp, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        raise ConcurrentUpdate(_("编辑页面已过期，请刷新页面后重新修改。")) from None
    seen: dict = loaded["f"]
    theirs = [f for f in fields if f in seen and _fingerprint(getattr(instance, f)) != seen[f]]
    if not theirs:
        return data
    merged, conflicts = dict(data), []
    for field in theirs:
        if field not in data:
            continue
        mine = _fingerprint(data[field])
        if mine == seen[field]:
            merged.pop(field)  # left as shown: the other clerk's value stays
        elif mine != _fingerprint(getattr(instance, field)):
            conflicts.append(field)
    if conflicts:
        now = {f: getattr(instance, f) for f in conflicts}
        shown = "、".join(
            f"{_label(instance, f)}（现为“{'' if now[f] is None else now[f]}”）" for f in conflicts
        )
        raise ConcurrentUpdate(
            _(
                "保存未成功：在您打开此页后，%(who)s修改了%(fields)s。您填写的内容仍在表单中，请核对后再次保存。"
            )
            % {"who": _who_changed(instance, loaded["at"]), "fields": shown},
            detail={"conflicts": conflicts, "refresh": [f for f in theirs if f not in conflicts]},
        )
    return merged


def refreshed_post(post, *, fresh_initial: dict, fields, names: dict | None = None) -> "dict":
    """The posted form data with `fields` replaced by their current values (as the edit form shows them):
    a re-shown form keeps the other clerk's changes this clerk did not touch. `names` maps a model field
    to its form field where they differ (region → region_code)."""
    data = post.copy()
    for model_field in fields:
        field = (names or {}).get(model_field, model_field)
        if field in fresh_initial:
            value = fresh_initial[field]
            data[field] = "" if value is None else getattr(value, "pk", value)
    return data
