"""Writes of the dossier app: commendations (表彰奖励) recorded on the duty-record spine."""

import datetime

from django.utils.translation import gettext as _

from renda.core.errors import DomainError
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add

from .selectors import COMMENDATION


def commendation_add(*, actor, deputy, title: str, awarded_on: datetime.date, awarded_by: str) -> DutyRecord:
    """Record a commendation of a deputy (e.g. 优秀人大代表, awarded by 县人大常委会) as a duty record of
    kind `other` with attributes {"category": "commendation", "awarded_by": ...}, so that the dossier
    shows it and a points scheme (争先创优事项) can match it. DomainError names the empty field."""
    title, awarded_by = (title or "").strip(), (awarded_by or "").strip()
    if not title:
        raise DomainError(_("请填写表彰名称"), field="title")
    if not awarded_by:
        raise DomainError(_("请填写表彰单位"), field="awarded_by")
    return duty_record_add(
        deputy=deputy,
        kind=DutyRecord.Kind.OTHER,
        title=title[:200],
        occurred_on=awarded_on,
        attributes={"category": COMMENDATION, "awarded_by": awarded_by[:100]},
        actor=actor,
    )
