"""Per-user rate limiting on `/api/v1/*` (HELPDESK_RATE_LIMIT requests a minute).

Counters live in Litestar's store: Redis when HELPDESK_REDIS_URL is set (shared by every
worker and host), otherwise in each worker's memory (each worker counts on its own).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from helpdesk.settings import Settings

STORE_NAME = "rate_limit"


def _caller(request: Request[Any, Any, Any]) -> str:
    """The verified user when there is one (the auth middleware ran first), else the address."""
    user = request.scope.get("user")
    user_id = getattr(user, "id", None)
    return f"user:{user_id}" if user_id is not None else f"ip:{get_remote_address(request)}"


def rate_limit_config(settings: Settings) -> RateLimitConfig | None:
    if settings.rate_limit == 0:
        return None
    return RateLimitConfig(
        rate_limit=("minute", settings.rate_limit),
        exclude=[r"^/health(/ready)?$", r"^/metrics$", r"^/schema"],
        identifier_for_request=_caller,
        store=STORE_NAME,
    )


def rate_limit_store(redis: Any | None) -> Store:
    """Counters in Redis (the container's client) when configured, else in this worker."""
    if redis is not None:
        from litestar.stores.redis import RedisStore

        return RedisStore(redis, namespace="helpdesk")
    return MemoryStore()
