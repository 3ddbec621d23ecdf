"""Named errors that services raise and views turn into clear messages."""


class DomainError(Exception):
    """A rule of the domain refused the request. `field` names the offending input when there is one."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, detail=None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.detail = detail
        if status is not None:
            self.status = status

    @classmethod
    def from_validation(cls, exc) -> "DomainError":
        """The first message of a Django ValidationError, naming the field it is about."""
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            return cls(messages[0], field=None if field == "__all__" else field)
        return cls(exc.messages[0])


class _Refusal(DomainError):
    """A refused workflow step: noted for the audit log when the request or job ends (issue 13 §2)."""

    status = 409

    def __init__(self, message: str, **kwargs):
        super().__init__(message, **kwargs)
        from .context import note_refusal

        note_refusal(f"{type(self).__name__}: {message}")


class InvalidTransition(_Refusal):
    pass


class ConcurrentUpdate(_Refusal):
    pass
