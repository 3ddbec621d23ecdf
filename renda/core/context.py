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
