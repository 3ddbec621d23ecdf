"""Work queues: what each role has to do, shown on its home page (and the deputy's portal).

An app registers a queue in its AppConfig.ready() with the permission (and, where two roles share a
permission, the roles) that sees it, a `count(user)` that runs exactly one query, and a `url(user)`
of the page where the action is taken (a filtered list). `work_queues(user)` runs one query per
queue the user has — the home page's query count is asserted in the tests.

"What changed since I last looked" queues count rows newer than the user's QueueMark for the
queue; following the queue's link through `core:queue_open` moves the mark to now.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class WorkQueue:
    key: str
    label: str
    permission: str
    count: Callable  # (user) -> int, one query
    url: Callable  # (user) -> str
    roles: frozenset | None = None
    order: int = 100
    # True: the link goes through core:queue_open, which records that the user has looked.
    marks_seen: bool = False


QUEUES: dict[str, WorkQueue] = {}


def register_queue(queue: WorkQueue) -> None:
    QUEUES[queue.key] = queue


def queues_for(user) -> list[WorkQueue]:
    from .access import has_permission

    return sorted(
        (
            q
            for q in QUEUES.values()
            if has_permission(user, q.permission) and (q.roles is None or user.role in q.roles)
        ),
        key=lambda q: (q.order, q.key),
    )


def work_queues(user) -> list[dict]:
    """[{key, label, count, url}] for the user's queues, one query each."""
    from django.urls import reverse

    found = []
    for queue in queues_for(user):
        # A "since you last looked" queue links through core:queue_open, which asks for its url
        # (that may read the last look) only when followed: still one query per queue here.
        url = reverse("core:queue_open", args=[queue.key]) if queue.marks_seen else queue.url(user)
        found.append({"key": queue.key, "label": queue.label, "count": queue.count(user), "url": url})
    return found


# A user who never opened a "since you last looked" queue sees the changes of this many days.
NEVER_SEEN_DAYS = 30


def last_seen_expression(user, key: str):
    """An SQL expression for when the user last opened queue `key`, to use inside the queue's one
    count query (a subquery, not a query of its own)."""
    import datetime

    from django.db.models import DateTimeField, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import QueueMark

    never = timezone.now() - datetime.timedelta(days=NEVER_SEEN_DAYS)
    mark = QueueMark.objects.filter(user=user, key=key).values("seen_at")[:1]
    return Coalesce(Subquery(mark), Value(never), output_field=DateTimeField())


def queue_last_seen(user, key: str):
    """When the user last opened queue `key` (NEVER_SEEN_DAYS ago if never): a queue's link carries
    it, so that the list shows exactly what the count counted."""
    import datetime

    from .models import QueueMark

    mark = QueueMark.objects.filter(user=user, key=key).values_list("seen_at", flat=True).first()
    return mark or timezone.now() - datetime.timedelta(days=NEVER_SEEN_DAYS)


def queue_mark_seen(*, user, key: str) -> None:
    from .models import QueueMark

    QueueMark.objects.update_or_create(user=user, key=key, defaults={"seen_at": timezone.now()})
