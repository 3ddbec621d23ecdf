"""Hooks for apps above the spine: `duty_record_changed(sender=DutyRecord, record, actor, reason)` is
sent inside the writing transaction after a record is added, reviewed or withdrawn, so that (say)
the points ledger follows without duty_records knowing about it."""

from django.dispatch import Signal

duty_record_changed = Signal()
