"""Hooks for apps above deputies: `mandates_written(sender=Mandate, congress_id, deputy_ids)` is sent
inside the writing transaction after mandates were created or changed in bulk (the roster import),
where no post_save is sent, so that (say) the points ledger recounts those deputies at once."""

from django.dispatch import Signal

mandates_written = Signal()
