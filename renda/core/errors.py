"""Named errors that services raise and views turn into clear messages."""


class DomainError(Exception):
    """A rule of the domain refused the request. `field` names the offending input when there is one."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, detail=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.detail = detail


class InvalidTransition(DomainError):
    status = 409


class ConcurrentUpdate(DomainError):
    status = 409
