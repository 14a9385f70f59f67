"""HTTP shapes (msgspec Structs): admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from helpdesk.domain.records import AuditEntry


class AdminAuditOut(msgspec.Struct):
    id: UUID
    entity_type: str | None
    entity_id: UUID | None
    actor_id: UUID | None
    action: str
    metadata: dict[str, Any]
    created_at: datetime


class AdminAuditList(msgspec.Struct):
    items: list[AdminAuditOut]
    next_cursor: str | None


def admin_audit_out(e: AuditEntry) -> AdminAuditOut:
    return AdminAuditOut(
        e.id, e.entity_type, e.entity_id, e.actor_id, e.action, e.metadata, e.created_at
    )
