"""Reading and writing accounts; passwords are hashed with argon2."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.medewerker.models import ROLLEN, Medewerker

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_by_email(*, db_session: Session, email: str) -> Medewerker | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db_session.scalar(select(Medewerker).where(func.lower(Medewerker.email) == email.strip().lower()))


def create(*, db_session: Session, email: str, naam: str, rol: str, password: str | None,
           bestuur_id: str | None = None, coach_id: str | None = None) -> Medewerker:
    """Create an account and return it."""
    if rol not in ROLLEN:
        raise ValueError(f"unknown role {rol!r}; choose one of {', '.join(ROLLEN)}")
    account = Medewerker(email=email.strip().lower(), naam=naam, rol=rol,
                         password_hash=hash_password(password) if password else None,
                         bestuur_id=bestuur_id, coach_id=coach_id)
    db_session.add(account)
    db_session.flush()
    return account
