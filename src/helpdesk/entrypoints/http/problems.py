"""Every error becomes an RFC 9457 problem document, mapped here and nowhere else."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from helpdesk.domain.errors import (
    Conflict,
    DependencyUnavailable,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    TooManyAttempts,
    Unauthorized,
    ValidationFailed,
)
from helpdesk.domain.text import check_storable
from helpdesk.entrypoints.http.request_ids import request_id
from helpdesk.entrypoints.http.schemas.common import Problem

log = logging.getLogger("helpdesk.http")
PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Malformed request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
DOMAIN_STATUS: dict[type[DomainError], int] = {
    ValidationFailed: 422,
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    PreconditionFailed: 412,
    Unauthorized: 401,
    DependencyUnavailable: 503,
    TooManyAttempts: 429,
}


class JsonRequest(Request[Any, Any, Any]):
    """The app's request class: a body that msgspec cannot decode is malformed JSON (400), and
    one holding text no storage can keep (a NUL character) is a 422 naming the field.

    msgspec reports invalid UTF-8 inside a JSON string as a UnicodeDecodeError and nesting past
    its depth limit as a RecursionError; Litestar turns neither into its 400, so they would
    surface as 500s. (A lone surrogate escape, `"\\ud800"`, msgspec refuses itself: a 400.)"""

    async def json(self) -> Any:
        try:
            decoded = await super().json()
        except (UnicodeDecodeError, RecursionError):
            raise ClientException("the request body is not valid JSON") from None
        check_storable(decoded)
        return decoded


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"https://helpdesk.example/problems/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "request_id": request_id(request.scope),
    }
    if status == 422:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors or []]
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="helpdesk"', **(headers or {})}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(exc: BaseException) -> int:
    """The status the handlers below answer `exc` with (the metrics middleware sees the
    exception on its way out, before it becomes a response)."""
    if isinstance(exc, DomainError):
        return next(code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind))
    if isinstance(exc, ValidationException):
        return 422
    if isinstance(exc, NotAuthorizedException):
        return 401
    if isinstance(exc, HTTPException):
        return exc.status_code
    return HTTP_500_INTERNAL_SERVER_ERROR


def domain_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    assert isinstance(exc, DomainError)
    status = status_of(exc)
    errors = exc.errors if isinstance(exc, ValidationFailed) else None
    headers = {"Retry-After": "5"} if status == 503 else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem(request, status, exc.detail, errors=errors, headers=headers)


_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")


def _field_errors(extra: Any, sent_name: Callable[[str], str]) -> list[FieldError]:
    """Litestar's validation items as field errors: a body field by its JSON name, a parameter
    by the name the client sent it under."""
    errors = []
    for item in extra if isinstance(extra, list) else []:
        message = str(item.get("message", "invalid value")) if isinstance(item, dict) else str(item)
        key = str(item.get("key", "body")) if isinstance(item, dict) else "body"
        found = _UNKNOWN_FIELD.search(message) or _MISSING_FIELD.search(message)
        if key == "data" and message in {"'data'", "Object missing required field `data`"}:
            key, message = "body", "a JSON body is required"
        elif found:
            key = found.group(1)
        elif key == "data":
            key = "body"
        else:
            key = sent_name(key)
        errors.append(FieldError(key, message))
    return errors or [FieldError("body", "invalid request")]


def validation_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Litestar says 400 for values that fail validation; api.md wants 422 naming the fields.
    (Malformed JSON arrives as a plain 400 ClientException, handled by `http_error`.)"""
    assert isinstance(exc, ValidationException)
    errors = _field_errors(exc.extra, lambda key: _sent_name(request, key))
    return problem(request, 422, "the request has invalid values", errors=errors)


def _sent_name(request: Request[Any, Any, Any], key: str) -> str:
    """The name the client sent a parameter under (`from`, `Idempotency-Key`), not the handler's
    Python name for it (`start`)."""
    handler = request.scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    parameter = signature.parameters.get(key) if signature is not None else None
    definition = getattr(parameter, "kwarg_definition", None)
    for attribute in ("name", "query", "header"):
        alias = getattr(definition, attribute, None)
        if isinstance(alias, str) and alias:
            return alias
    return key


def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status >= HTTP_500_INTERNAL_SERVER_ERROR:  # Litestar's own faults (a bad dependency, …)
        return unexpected_error(request, exc)
    detail = exc.detail
    if isinstance(exc, NotAuthorizedException):
        status = 401
    headers = dict(exc.headers or {})
    if status == 429 and "RateLimit-Reset" in headers:
        headers["Retry-After"] = headers["RateLimit-Reset"]
        detail = "too many requests; retry later"
    return problem(request, status, str(detail), headers=headers)


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Logged once, here, with what finds the request again; never a stack trace in a body."""
    rid = request_id(request.scope)
    user = request.scope.get("user")
    user_id = str(user.id) if getattr(user, "id", None) is not None else "-"
    method, path = request.method, request.url.path
    log.error(
        "unexpected error on %s %s (request %s, user %s)",
        method,
        path,
        rid,
        user_id,
        exc_info=exc,
        extra={"request_id": rid, "method": method, "path": path, "user_id": user_id},
    )
    return problem(request, 500, f"unexpected error; it has been logged under request id {rid}")


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, description=description, media_type=PROBLEM_JSON)


# The problem responses every operation documents (api.md, Conventions).
ERRORS: dict[int, ResponseSpec] = {
    400: _spec("Malformed JSON"),
    401: _spec("Missing, invalid or expired bearer token"),
    403: _spec("Role not allowed, or profile deactivated"),
    404: _spec("Unknown, or not visible to the caller"),
    409: _spec("State conflict"),
    412: _spec("If-Match does not match the current version"),
    413: _spec("Body larger than 64 KiB"),
    422: _spec("Validation failed (errors name the fields)"),
    503: _spec("A dependency (database, classifier) is unavailable"),
}
# The login's back-off after repeated wrong passwords (whether or not rate limiting is on).
LOGIN_ERRORS = {**ERRORS, 429: _spec("Too many failed logins for the account: wait Retry-After")}


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
