"""A vraag as the API and the callbacks show it: the public status, the offers sent, and once assigned
the invaller's name and contact for that school."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from loket.bestuur.models import School
from loket.invaller.models import Invaller
from loket.vervangingsvraag import flows, service
from loket.vervangingsvraag.models import Vervangingsvraag

# The public statuses (the internal one is kept as ``status_intern``).
API_STATUSES = ("open", "aangeboden", "toegewezen", "niet_gevuld", "geannuleerd")
_FROM_INTERNAL = {"gevuld": "toegewezen", "afgerond": "toegewezen", "verlopen": "niet_gevuld",
                  "geannuleerd": "geannuleerd"}


def status_of(vraag: Vervangingsvraag, offers_sent: int) -> str:
    """open (no offer out yet), aangeboden (offers out), toegewezen, niet_gevuld (over, never filled),
    geannuleerd."""
    if vraag.status in _FROM_INTERNAL:
        return _FROM_INTERNAL[vraag.status]
    return "aangeboden" if offers_sent else "open"


def api_status(db_session: Session, vraag: Vervangingsvraag) -> str:
    return status_of(vraag, len(service.offers(db_session=db_session, vraag_id=vraag.id)))


def vraag_out(db_session: Session, vraag: Vervangingsvraag) -> dict[str, Any]:
    """The whole vraag: fields, public status, offers sent and, once assigned, who and how to reach them."""
    school = db_session.get(School, vraag.school_id)
    invaller = db_session.get(Invaller, vraag.invaller_id) if vraag.invaller_id else None
    offers = service.offers(db_session=db_session, vraag_id=vraag.id)
    out = flows.vraag_json(vraag, school, invaller.naam if invaller else None, offers)
    out["status_intern"] = out["status"]
    out["status"] = status_of(vraag, len(offers))
    if invaller is not None and vraag.status in ("gevuld", "afgerond"):
        out["invaller_contact"] = {"naam": invaller.naam, "email": invaller.email, "telefoon": invaller.telefoon}
    accepted = next((a for a in offers if a.invaller_id == vraag.invaller_id and a.status == "geaccepteerd"), None)
    out["waarom"] = list(accepted.redenen) if accepted else []
    return out
