"""Writing audit events."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from loket.audit.models import AuditEvent


def record(*, db_session: Session, actor: str, action: str, object_type: str, object_id: str | None = None,
           detail: dict[str, Any] | None = None, ip: str | None = None) -> AuditEvent:
    """Append one audit event and return it."""
    event = AuditEvent(actor=actor, action=action, object_type=object_type, object_id=object_id,
                       detail=detail or {}, ip=ip)
    db_session.add(event)
    return event
