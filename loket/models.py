"""Imports every table so that ``Base.metadata`` is complete (Alembic and tests use this)."""

from loket.ambitie.models import Ambitie, AmbitieRealisatie, AmbitieToelichting
from loket.audit.models import AuditEvent
from loket.bestuur.models import ApiIdempotentie, Bestuur, BestuurApiSleutel, BestuurCallback, School
from loket.coach.models import Coach
from loket.console.models import Opvolging
from loket.db import Base
from loket.intake.models import ContactVerzoek, IntakeBericht, IntakeEvent, IntakeSessie, VerwerktBericht
from loket.invaller.models import Beschikbaarheid, Invaller, InvallerGoedkeuring, SchoolVoorkeur
from loket.kandidaat.models import Kandidaat
from loket.loopbaangesprek.models import Loopbaangesprek, LoopbaangesprekChat, LoopbaangesprekToewijzing
from loket.match.models import Match
from loket.medewerker.models import LoginPoging, Medewerker
from loket.outbox.models import OutboxBericht
from loket.regio.models import Plaats, Regio, Subregio
from loket.starter.models import Starter, StarterAfspraak
from loket.telegram.models import TelegramChat, TelegramKoppelcode, TelegramUpdate
from loket.vacature.models import Vacature
from loket.vervangingsvraag.models import Aanbod, InzetDag, Vervangingsvraag

__all__ = [
    "Aanbod", "Ambitie", "AmbitieRealisatie", "AmbitieToelichting", "ApiIdempotentie", "AuditEvent",
    "BestuurApiSleutel", "BestuurCallback",
    "Base", "Beschikbaarheid", "Bestuur", "Coach", "ContactVerzoek", "IntakeBericht",
    "IntakeEvent", "IntakeSessie", "Invaller", "InvallerGoedkeuring", "Kandidaat", "LoginPoging", "Loopbaangesprek",
    "Match", "Opvolging",
    "LoopbaangesprekChat", "LoopbaangesprekToewijzing",
    "Medewerker", "OutboxBericht", "Plaats", "Regio", "School", "Subregio", "Vacature", "Vervangingsvraag",
    "VerwerktBericht",
    "InzetDag", "SchoolVoorkeur",
    "TelegramChat", "TelegramKoppelcode", "TelegramUpdate", "Starter", "StarterAfspraak",
]
