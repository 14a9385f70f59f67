"""Domain errors. The HTTP layer maps each kind to one status code, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base class: a rule of the domain refused the request."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ValidationFailed(DomainError):
    """A value in the request breaks a rule (HTTP 422); names the fields."""

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or "; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def of(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class NotFound(DomainError):
    """Unknown, or not visible to the caller (HTTP 404)."""


class Forbidden(DomainError):
    """The caller's role or state does not allow this (HTTP 403)."""


class Conflict(DomainError):
    """The current state forbids the change (HTTP 409)."""


class PreconditionFailed(DomainError):
    """`If-Match` names a version that is no longer current (HTTP 412)."""


class Unauthorized(DomainError):
    """No usable credentials (HTTP 401)."""


class TooManyAttempts(DomainError):
    """Refused for a while (HTTP 429); `retry_after` says how many seconds."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class DependencyUnavailable(DomainError):
    """A dependency (database, classifier, identity provider) is down (HTTP 503)."""
