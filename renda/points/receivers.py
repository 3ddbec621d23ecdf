"""The points ledger follows the spine: every added, reviewed or withdrawn duty record is reconciled
with the published schemes in the same transaction (duty_records/signals.py)."""

from renda.duty_records.models import DutyRecord
from renda.duty_records.signals import duty_record_changed


def _on_changed(sender, *, record, actor=None, reason="", **kwargs):
    from .ledger import on_record_changed

    on_record_changed(record, actor=actor, reason=reason)


def connect() -> None:
    duty_record_changed.connect(_on_changed, sender=DutyRecord, dispatch_uid="points.record_changed")
    connect_mandates()


def _on_mandate_saved(sender, *, instance, **kwargs):
    """A mandate added or ended changes who the schemes of its congress count and their base."""
    from .ledger import sync_scheme
    from .models import Scheme

    for scheme in Scheme.objects.filter(congress_id=instance.congress_id, state=Scheme.State.PUBLISHED):
        sync_scheme(scheme=scheme, deputy_ids={instance.deputy_id}, reason="mandate")


def _on_mandates_written(sender, *, congress_id, deputy_ids, **kwargs):
    """The same for mandates written in bulk (the roster import): one recount of those deputies."""
    from .ledger import sync_scheme
    from .models import Scheme

    for scheme in Scheme.objects.filter(congress_id=congress_id, state=Scheme.State.PUBLISHED):
        sync_scheme(scheme=scheme, deputy_ids=set(deputy_ids), reason="mandate")


def connect_mandates() -> None:
    from django.db.models.signals import post_save

    from renda.deputies.models import Mandate
    from renda.deputies.signals import mandates_written

    post_save.connect(_on_mandate_saved, sender=Mandate, dispatch_uid="points.mandate_saved")
    mandates_written.connect(_on_mandates_written, sender=Mandate, dispatch_uid="points.mandates_written")
