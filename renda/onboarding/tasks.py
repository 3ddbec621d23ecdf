"""Background tasks of onboarding: bulk account creation, and the service that starts it.

This module alone knows both the task and its runner (services.accounts_bulk_run knows no task).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from renda.core.errors import DomainError
from renda.jobs.services import job_start

from .services import BULK_KINDS, accounts_bulk_run


@task()
def accounts_bulk_task(job_id: str) -> None:
    accounts_bulk_run(job_id)


def accounts_bulk_start(*, actor, kind: str, params: dict):
    """Start a background job creating accounts; `params` for deputies: congress, township (region
    id, optional), delegation (optional); for units none. Returns the job (its page shows progress)."""
    if kind not in BULK_KINDS:
        raise DomainError(_("未知的开通类型"), field="kind")
    if kind == "deputies" and not params.get("congress"):
        raise DomainError(_("请选择人民代表大会"), field="congress")
    title = _("批量开通代表账号") if kind == "deputies" else _("批量开通承办单位账号")
    with transaction.atomic():
        return job_start(
            owner=actor,
            kind="accounts_bulk",
            title=title,
            task=accounts_bulk_task,
            params={"kind": kind, **{k: str(v) for k, v in params.items() if v not in (None, "")}},
        )
