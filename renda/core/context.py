"""The current request's actor and source address, for services that audit without a request."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    user_id: int | None = None
    username: str = ""
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestContext] = ContextVar("renda_request_context", default=RequestContext())  # noqa: B039 - frozen, so immutable


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


# Refused workflow steps (InvalidTransition, ConcurrentUpdate) noted while a request or job runs.
# They are written to the audit log when it ends, outside the refused step's own transaction,
# which is rolled back with everything written in it.
_refusals: ContextVar[list | None] = ContextVar("renda_refusals", default=None)


def collect_refusals():
    """Start collecting refusals; returns the token for `take_refusals`."""
    return _refusals.set([])


def note_refusal(message: str) -> None:
    pending = _refusals.get()
    if pending is not None and len(pending) < 20:
        pending.append(message)


class probing_refusals:
    """A block that asks "would this be refused?" (to show buttons): its refusals are not noted."""

    def __enter__(self):
        self.token = _refusals.set(None)

    def __exit__(self, *exc):
        _refusals.reset(self.token)


def take_refusals(token) -> list[str]:
    pending = _refusals.get() or []
    _refusals.reset(token)
    return pending
