"""Starters: the list per bestuur (import or one by one), the invitation with one reminder, the answer
("ja, graag" routes a coach outside the starter's own bestuur; "nee, dank je" stops every message), the
coaching track (meetings with .ics invites, an outcome), erasure, and the figures.

Each scheduled step claims its starters with a conditional UPDATE, so two processes never send the same
invitation or reminder twice. Every wait is counted in working days (matching.workdays).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge import KNOWLEDGE_DIR
from loket import clock
from loket.audit.service import record
from loket.bestuur.models import School
from loket.console.tables import RowReport, cell_date
from loket.context import AppContext
from loket.errors import LoketError
from loket.i18n import TEXTS
from loket.outbox.service import queue
from loket.starter.models import OUTCOMES, Starter, StarterAfspraak
from matching.workdays import add_working_days, days_in, is_working_day

LOCAL = ZoneInfo("Europe/Amsterdam")
TEXTS.update({
    "starter_geweigerd": {"nl": "Je hebt 'nee, dank je' gezegd. Wil je toch een coach? Vraag het loket.",
                          "en": "You said 'no, thank you'. Would you like a coach after all? Ask the loket."},
    "starter_afspraken": {"nl": "Plan 1 tot 8 gesprekken tegelijk.", "en": "Plan 1 to 8 meetings at once."},
    "starter_vakantie": {"nl": "Op {dag} is het schoolvakantie of een feestdag. Kies een andere dag.",
                         "en": "{dag} is a school holiday or a public holiday. Choose another day."},
    "starter_uitkomst": {"nl": "Kies een uitkomst uit de lijst.", "en": "Choose an outcome from the list."},
})
REMIND_AFTER_WORKING_DAYS = 5  # "one reminder after a week without answer"
UNREACHED_AFTER_WORKING_DAYS = 5
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COLUMNS = ("naam", "email", "telefoon", "school", "startdatum", "diploma_jaar", "rol")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def school_holidays() -> frozenset[date]:
    """The school holidays of region Midden (knowledge/schoolvakanties.yaml), as days."""
    data = yaml.safe_load((KNOWLEDGE_DIR / "schoolvakanties.yaml").read_text(encoding="utf-8"))
    return days_in([(h["first"], h["last"]) for h in data["holidays"]])


# ------------------------------------------------------------------------------------------ the list


ImportReport = RowReport  # rows read, errors per row, added, replaced (loket.console.tables)


def _check(row: dict[str, Any], schools: dict[str, School], today: date) -> tuple[dict[str, Any], list[str]]:
    naam = " ".join(str(row.get("naam") or "").split())[:200]
    email = str(row.get("email") or "").strip().lower()[:320] or None
    telefoon = re.sub(r"[^\d+ ]", "", str(row.get("telefoon") or ""))[:64].strip() or None
    school_raw = str(row.get("school") or "").strip()
    start = cell_date(row.get("startdatum"))
    year_raw = str(row.get("diploma_jaar") or "").strip()
    problems = []
    if not naam:
        problems.append("de naam ontbreekt")
    if not email and not telefoon:
        problems.append("geef een e-mailadres of een telefoonnummer")
    if email and not EMAIL.match(email):
        problems.append(f"'{email}' is geen e-mailadres")
    school = schools.get(school_raw) or next((s for s in schools.values() if s.naam.lower() == school_raw.lower()),
                                             None)
    if school_raw and school is None:
        problems.append(f"school '{school_raw}' hoort niet bij dit bestuur (gebruik de naam of het id)")
    if start is None:
        problems.append(f"startdatum '{row.get('startdatum') or ''}' is geen datum (jjjj-mm-dd)")
    year = None
    if year_raw:
        try:
            year = int(float(year_raw))
        except ValueError:
            year = -1
        if not 1970 <= year <= today.year + 1:
            problems.append(f"diplomajaar '{year_raw}' klopt niet")
    values = {"naam": naam, "email": email, "telefoon": telefoon, "school_id": school.id if school else None,
              "startdatum": start, "diploma_jaar": year, "rol": str(row.get("rol") or "leerkracht").strip()[:64]}
    return values, problems


def import_starters(*, db_session: Session, bestuur_id: str, rows: list[dict[str, Any]], actor: str) -> ImportReport:
    """All or nothing: every row checked (name, e-mail or phone, the bestuur's own school, dates, a starter
    listed twice); nothing is stored when one row is wrong."""
    report = ImportReport(rows=len(rows))
    schools = {s.id: s for s in db_session.scalars(select(School).where(School.bestuur_id == bestuur_id))}
    listed = {e for (e,) in db_session.execute(select(Starter.email).where(
        Starter.bestuur_id == bestuur_id, Starter.email.is_not(None)))}
    today = clock.now().astimezone(LOCAL).date()
    seen: dict[str, int] = {}
    ok = []
    for number, row in enumerate(rows, start=2):
        values, problems = _check(row, schools, today)
        email = values["email"]
        if email and email in listed:
            problems.append(f"{email} staat al op de lijst")
        elif email and email in seen:
            problems.append(f"{email} staat ook op regel {seen[email]}")
        if email:
            seen.setdefault(email, number)
        if problems:
            report.errors.append((number, "; ".join(problems)))
        else:
            ok.append(values)
    if report.errors:
        return report
    for values in ok:
        db_session.add(Starter(bestuur_id=bestuur_id, created_by=actor[:100], **values))
    report.added = len(ok)
    record(db_session=db_session, actor=actor, action="starter.import", object_type="bestuur", object_id=bestuur_id,
           detail={"added": len(ok)})
    db_session.flush()
    return report


def add_starter(*, db_session: Session, bestuur_id: str, row: dict[str, Any], actor: str) -> ImportReport:
    """One starter typed in the bestuur's page (the same checks as a row of an import)."""
    return import_starters(db_session=db_session, bestuur_id=bestuur_id, rows=[row], actor=actor)


def list_for(*, db_session: Session, bestuur_id: str | None) -> list[Starter]:
    query = select(Starter).where(Starter.vergeten_at.is_(None)).order_by(Starter.startdatum.desc(), Starter.naam)
    if bestuur_id:
        query = query.where(Starter.bestuur_id == bestuur_id)
    return list(db_session.scalars(query.limit(2000)))


# ------------------------------------------------------------------------------------------ invitations


def _link(ctx: AppContext, token: str) -> str:
    return f"{ctx.settings.base_url}/starter/{token}"


def _invitation(ctx: AppContext, starter: Starter, link: str, *, reminder: bool) -> tuple[str, str]:
    from loket.i18n import day_text

    sla = ctx.settings.loopbaangesprek_sla_werkdagen
    day = add_working_days(clock.now(), sla + 1).astimezone(LOCAL).date()
    first = "Een herinnering. " if reminder else ""
    subject = ("Herinnering: een coach voor je eerste jaren" if reminder else
               "Een coach voor je eerste jaren als leraar / A coach for your first years")
    body = (
        f"Beste {starter.naam},\n\n{first}Je bent net begonnen in het onderwijs. Gefeliciteerd! In onze regio kan "
        "iedere starter een coach krijgen. De coach werkt niet bij jouw schoolbestuur. Je praat dus vrij.\n"
        "Je krijgt een paar gesprekken in je eerste schooljaar.\n\n"
        f"Wil je dat? Klik op de link en kies 'Ja, graag'. Dan belt een coach je uiterlijk {day_text(day, 'nl')}.\n"
        f"{link}\n\nWil je niet? Kies dan 'Nee, dank je'. Dan vragen we het niet meer.\n\n"
        "— English —\n"
        f"Dear {starter.naam},\n\nYou have just started in education. Every starter in our region can have a coach "
        "who does not work for your school board, for a few conversations in your first school year. "
        f"Interested? Open the link and choose 'Yes, please': a coach will call you by {day_text(day, 'en')}. "
        "Not interested? Choose 'No, thank you' and we will not ask again.\n\n"
        "Groet / Regards,\nOnderwijsloket Midden-Nederland"
    )
    return subject, body


def _send(ctx: AppContext, db: Session, starter: Starter, *, reminder: bool) -> None:
    token = secrets.token_urlsafe(24)
    starter.token_hash = _hash(token)
    subject, body = _invitation(ctx, starter, _link(ctx, token), reminder=reminder)
    queue(db_session=db, channel="email", recipient=starter.email or "", subject=subject, body=body,
          payload={"starter_id": starter.id})


def invite_due(*, ctx: AppContext, db_session: Session) -> int:
    """Invite every new starter with an e-mail address, once (claimed by a conditional UPDATE)."""
    now = clock.now()
    ids = list(db_session.scalars(select(Starter.id).where(Starter.status == "nieuw", Starter.email.is_not(None),
                                                           Starter.vergeten_at.is_(None)).limit(200)))
    sent = 0
    for starter_id in ids:
        claimed = db_session.execute(update(Starter).where(Starter.id == starter_id, Starter.status == "nieuw")
                                     .values(status="uitgenodigd", uitgenodigd_at=now)).rowcount
        if claimed:
            starter = db_session.get(Starter, starter_id, populate_existing=True)
            assert starter is not None
            _send(ctx, db_session, starter, reminder=False)
            sent += 1
    return sent


def remind_due(*, ctx: AppContext, db_session: Session) -> tuple[int, int]:
    """One reminder after a week without answer; a week after that the starter is "niet bereikt"."""
    now = clock.now()
    reminded = unreached = 0
    for starter in db_session.scalars(select(Starter).where(Starter.status.in_(("uitgenodigd", "herinnerd")))):
        since = starter.herinnerd_at if starter.status == "herinnerd" else starter.uitgenodigd_at
        wait = UNREACHED_AFTER_WORKING_DAYS if starter.status == "herinnerd" else REMIND_AFTER_WORKING_DAYS
        if since is None or add_working_days(since, wait) > now:
            continue
        if starter.status == "uitgenodigd":
            if db_session.execute(update(Starter).where(Starter.id == starter.id, Starter.status == "uitgenodigd")
                                  .values(status="herinnerd", herinnerd_at=now)).rowcount:
                db_session.refresh(starter)
                _send(ctx, db_session, starter, reminder=True)
                reminded += 1
        elif db_session.execute(update(Starter).where(Starter.id == starter.id, Starter.status == "herinnerd")
                                .values(status="niet_bereikt")).rowcount:
            unreached += 1
    return reminded, unreached


def by_token(*, db_session: Session, token: str) -> Starter | None:
    if not token or len(token) > 100:
        return None
    return db_session.scalar(select(Starter).where(Starter.token_hash == _hash(token), Starter.vergeten_at.is_(None)))


def accept(*, ctx: AppContext, db_session: Session, starter: Starter) -> date | None:
    """"Ja, graag": a loopbaangesprek for a starter, routed by the existing rules (never a coach of the
    starter's own bestuur); returns the promised day."""
    from loket.loopbaangesprek import flows, service

    if starter.status == "geaccepteerd" and starter.gesprek_id:
        gesprek = service.get(db_session=db_session, gesprek_id=starter.gesprek_id)
        return gesprek.beloofd_contact_op if gesprek else None
    if starter.status == "geweigerd":
        raise LoketError(409, "starter_geweigerd")
    aanvraag = service.Aanvraag(naam=starter.naam or "Starter", email=starter.email or "",
                                bestuur_id=starter.bestuur_id, huidige_rol="leerkracht", tags=["starters en inductie"],
                                wens="Coaching als starter (eerste jaren)",
                                starter=True, telefoon=starter.telefoon, kanaal="starter")
    gesprek, day = flows.submit(ctx=ctx, db_session=db_session, aanvraag=aanvraag)
    starter.status, starter.geantwoord_at, starter.gesprek_id = "geaccepteerd", clock.now(), gesprek.id
    record(db_session=db_session, actor=f"starter:{starter.id}", action="starter.accept", object_type="starter",
           object_id=starter.id, detail={"gesprek_id": gesprek.id})
    return day


def decline(*, db_session: Session, starter: Starter) -> None:
    """"Nee, dank je": no message ever again."""
    if starter.status != "geaccepteerd":
        starter.status, starter.geantwoord_at = "geweigerd", clock.now()
        record(db_session=db_session, actor=f"starter:{starter.id}", action="starter.decline", object_type="starter",
               object_id=starter.id)


def forget(*, db_session: Session, starter: Starter, actor: str) -> None:
    """Erase the starter's personal data everywhere; the anonymous row stays for the counts."""
    from loket.outbox.models import OutboxBericht

    for message in db_session.scalars(select(OutboxBericht).where(OutboxBericht.status == "queued")):
        if (message.payload or {}).get("starter_id") == starter.id:
            db_session.delete(message)
    if starter.gesprek_id:  # the coaching request made for them: who it was goes, the figures stay
        from loket.loopbaangesprek.models import Loopbaangesprek

        gesprek = db_session.get(Loopbaangesprek, starter.gesprek_id)
        if gesprek is not None:
            gesprek.naam, gesprek.email, gesprek.telefoon, gesprek.wens = "", None, None, ""
            gesprek.contact_voorkeur, gesprek.feedback_tekst = {}, None
    starter.naam = starter.email = starter.telefoon = starter.token_hash = None
    if starter.status not in ("geaccepteerd",):
        starter.status = "geweigerd"
    starter.vergeten_at = clock.now()
    record(db_session=db_session, actor=actor, action="starter.forget", object_type="starter", object_id=starter.id)


# ------------------------------------------------------------------------------------------ the track


def for_gesprek(*, db_session: Session, gesprek_id: str) -> Starter | None:
    return db_session.scalar(select(Starter).where(Starter.gesprek_id == gesprek_id))


def meetings(*, db_session: Session, starter_id: str) -> list[StarterAfspraak]:
    return list(db_session.scalars(select(StarterAfspraak).where(StarterAfspraak.starter_id == starter_id)
                                   .order_by(StarterAfspraak.at)))


def plan(*, ctx: AppContext, db_session: Session, starter: Starter, moments: list[datetime], coach: Any,
         actor: str) -> list[StarterAfspraak]:
    """Plan meetings of the track; each goes to the starter and the coach as an .ics invite. A meeting in the
    school holidays of region Midden or on a public holiday is refused."""
    from loket.loopbaangesprek import messaging

    if not 1 <= len(moments) <= 8:
        raise LoketError(422, "starter_afspraken")
    bad = [m for m in moments if not is_working_day(m.astimezone(LOCAL).date(), school_holidays())]
    if bad:
        raise LoketError(422, "starter_vakantie", dag=bad[0].astimezone(LOCAL).strftime("%d-%m-%Y"))
    made = []
    for moment in sorted(moments):
        afspraak = StarterAfspraak(starter_id=starter.id, at=moment)
        db_session.add(afspraak)
        db_session.flush()
        ics = messaging.ics_invite(uid=f"starter-{afspraak.id}", start=moment,
                                   teacher=(starter.naam or "", starter.email), coach=(coach.naam, coach.email),
                                   organiser_email=ctx.settings.smtp_from,
                                   stamp=clock.now())
        attachment = {"filename": "coaching.ics", "content_type": "text/calendar", "content": ics}
        subject, body = messaging.appointment(starter.naam or "", coach.naam, moment)
        for address in {starter.email, coach.email} - {None, ""}:
            queue(db_session=db_session, channel="email", recipient=address or "", subject=subject, body=body,
                  payload={"attachments": [attachment], "starter_id": starter.id})
        made.append(afspraak)
    record(db_session=db_session, actor=actor, action="starter.plan", object_type="starter", object_id=starter.id,
           detail={"meetings": len(made)})
    return made


def mark_held(*, db_session: Session, starter: Starter, afspraak_id: str, actor: str) -> None:
    afspraak = db_session.get(StarterAfspraak, afspraak_id[:32])
    if afspraak is None or afspraak.starter_id != starter.id:
        raise LoketError(404, "not_found")
    afspraak.gehouden = True
    record(db_session=db_session, actor=actor, action="starter.held", object_type="starter", object_id=starter.id)


def close(*, db_session: Session, starter: Starter, outcome: str, actor: str) -> None:
    if outcome not in OUTCOMES:
        raise LoketError(422, "starter_uitkomst")
    starter.uitkomst, starter.uitkomst_at = outcome, clock.now()
    record(db_session=db_session, actor=actor, action="starter.outcome", object_type="starter", object_id=starter.id,
           detail={"uitkomst": outcome})


def ask_outcomes_due(*, ctx: AppContext, db_session: Session) -> int:
    """Ask the coach once for a missing outcome: when the last planned meeting is a week past, or the
    starter's first school year (a year after the start date) is over without meetings."""
    from loket.coach.models import Coach
    from loket.loopbaangesprek.models import Loopbaangesprek

    now = clock.now()
    asked = 0
    open_outcome = select(Starter).where(Starter.status == "geaccepteerd", Starter.uitkomst.is_(None),
                                         Starter.uitkomst_gevraagd_at.is_(None))
    for starter in db_session.scalars(open_outcome):
        planned = meetings(db_session=db_session, starter_id=starter.id)
        due = (planned[-1].at + timedelta(days=7)) if planned else \
            datetime.combine(starter.startdatum + timedelta(days=365), datetime.min.time(), tzinfo=LOCAL)
        if due > now:
            continue
        gesprek = db_session.get(Loopbaangesprek, starter.gesprek_id or "")
        coach = db_session.get(Coach, gesprek.coach_id) if gesprek and gesprek.coach_id else None
        if coach is None or not coach.email:
            continue
        if db_session.execute(update(Starter).where(Starter.id == starter.id, Starter.uitkomst_gevraagd_at.is_(None))
                              .values(uitkomst_gevraagd_at=now)).rowcount:
            queue(db_session=db_session, channel="email", recipient=coach.email,
                  subject="Hoe ging het met je starter?",
                  body=(f"Beste {coach.naam},\n\nJe begeleidde {starter.naam or 'een starter'}. Hoe is het afgelopen? "
                        "Leg de uitkomst vast op je pagina bij het gesprek (blijft, andere school, andere sector of "
                        f"verlaten): {ctx.settings.base_url}/coach\n\nDank je!\nOnderwijsloket Midden-Nederland"))
            asked += 1
    return asked


# ------------------------------------------------------------------------------------------ figures


FIGURE_COLUMNS = ("Bestuur of subregio", "Op de lijst", "Uitgenodigd", "Bereikt", "Gecoacht", "Blijft",
                  "Vertrokken", "Nee, dank je", "Niet bereikt", "Na 1 jaar nog in het onderwijs",
                  "Na 2 jaar", "Na 3 jaar")
_KEYS = ("lijst", "uitgenodigd", "bereikt", "gecoacht", "blijft", "vertrokken", "geweigerd", "niet_bereikt",
         "jaar1", "jaar2", "jaar3")


def _still_there(starter: Starter, years: int, today: date) -> bool:
    """Started at least ``years`` ago and not known to have left (an outcome other than 'verlaten', or still
    on the list without one)."""
    return starter.startdatum <= today - timedelta(days=365 * years) and starter.uitkomst != "verlaten"


def figures(*, db_session: Session, bestuur_id: str | None = None) -> tuple[list[list[Any]], Counter[str]]:
    """Per bestuur and per subregio (of the starter's school): listed, invited, reached (answered), coached
    (a coach took it), the outcomes, and how many are still in education 1, 2 and 3 years after their start;
    with totals."""
    from loket.bestuur.models import Bestuur
    from loket.regio.models import Plaats, Subregio

    names = dict(db_session.execute(select(Bestuur.id, Bestuur.naam)).all())
    sub_names = dict(db_session.execute(select(Subregio.id, Subregio.naam)).all())
    sub_of_school = dict(db_session.execute(select(School.id, Plaats.subregio_id)
                                            .join(Plaats, School.plaats_id == Plaats.id)).all())
    today = clock.now().astimezone(LOCAL).date()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    per_sub: dict[str, Counter[str]] = defaultdict(Counter)
    query = select(Starter)
    if bestuur_id:
        query = query.where(Starter.bestuur_id == bestuur_id)
    for s in db_session.scalars(query):
        row = Counter({
            "lijst": 1, "uitgenodigd": s.uitgenodigd_at is not None, "bereikt": s.geantwoord_at is not None,
            "gecoacht": s.status == "geaccepteerd",
            "blijft": s.uitkomst in ("blijft", "andere_school", "andere_sector"),
            "vertrokken": s.uitkomst == "verlaten", "geweigerd": s.status == "geweigerd",
            "niet_bereikt": s.status == "niet_bereikt",
            **{f"jaar{n}": _still_there(s, n, today) for n in (1, 2, 3)}})
        per[s.bestuur_id].update(row)
        per_sub[sub_of_school.get(s.school_id or "") or "onbekend"].update(row)
    total: Counter[str] = Counter()
    rows = []
    for bid in sorted(per, key=lambda b: names.get(b, b)):
        total.update(per[bid])
        rows.append([names.get(bid, bid), *(per[bid][k] for k in _KEYS)])
    if len(rows) > 1:
        rows.append(["Totaal", *(total[k] for k in _KEYS)])
    for sub in sorted(per_sub, key=lambda s: (s == "onbekend", sub_names.get(s, s))):
        rows.append([f"Subregio {sub_names.get(sub, 'onbekend')}", *(per_sub[sub][k] for k in _KEYS)])
    return rows, total
