"""Demo rows for the console: finished and abandoned intakes with their events and chat, kandidaten in
every stage, advice proposals (real advice from the matching engine) to review, and contact requests.

Deterministic: everything comes from the shared random generator and the reference date.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from knowledge.schema.region import Region

SESSIONS = 90
# (share, profile) archetypes of people who ask the loket; "place" is filled in per person.
_ARCHETYPES: list[tuple[float, dict[str, Any]]] = [
    (
        0.35,
        {
            "goal_role": "groepsleerkracht",
            "target_sector": "po",
            "education_level": "hbo_bachelor",
            "education_field": "bedrijfskunde",
            "foreign_diploma": "nee",
            "works_in_education": False,
            "current_role": "accountmanager",
            "teaching_qualification": "geen",
            "keep_income": True,
            "days_per_week": 4,
            "has_school_board_contact": False,
            "vog_ok": "ja",
        },
    ),
    (
        0.15,
        {
            "goal_role": "groepsleerkracht",
            "target_sector": "po",
            "education_level": "hbo_bachelor",
            "education_field": "pabo",
            "foreign_diploma": "nee",
            "works_in_education": False,
            "teaching_qualification": "pabo",
            "qualification_year": 2006,
            "keep_income": True,
            "days_per_week": 3,
            "vog_ok": "ja",
        },
    ),
    (
        0.2,
        {
            "goal_role": "onderwijsassistent",
            "target_sector": "po",
            "education_level": "mbo4",
            "education_field": "zorg en welzijn",
            "foreign_diploma": "nee",
            "works_in_education": False,
            "teaching_qualification": "geen",
            "keep_income": True,
            "days_per_week": 3,
            "vog_ok": "ja",
        },
    ),
    (
        0.15,
        {
            "goal_role": "groepsleerkracht",
            "target_sector": "po",
            "education_level": "master",
            "education_field": "psychologie",
            "foreign_diploma": "buiten_eu",
            "foreign_teaching_qualification": True,
            "dutch_level": "b2",
            "works_in_education": False,
            "keep_income": True,
            "days_per_week": 4,
            "vog_ok": "weet_niet",
        },
    ),
    (
        0.15,
        {
            "goal_role": "vakleerkracht",
            "goal_subject": "bewegingsonderwijs",
            "target_sector": "po",
            "education_level": "hbo_bachelor",
            "education_field": "sportkunde",
            "foreign_diploma": "nee",
            "works_in_education": True,
            "current_role": "sportinstructeur",
            "teaching_qualification": "geen",
            "keep_income": True,
            "days_per_week": 4,
            "vog_ok": "ja",
        },
    ),
]
_FIRST = [
    "Anouk",
    "Bas",
    "Charlotte",
    "Dennis",
    "Eline",
    "Farid",
    "Gerda",
    "Hamza",
    "Iris",
    "Jeroen",
    "Kim",
    "Laila",
    "Maarten",
    "Nadia",
    "Oscar",
    "Petra",
    "Rik",
    "Sara",
    "Tom",
    "Vera",
]
_LAST = [
    "Aydın",
    "Bakker",
    "Claessen",
    "Dijkstra",
    "Evers",
    "Faber",
    "Gerritsen",
    "Hoekstra",
    "Jacobs",
    "Kramer",
    "Lammers",
    "Mertens",
    "Nijhuis",
    "Oosterhuis",
    "Postma",
    "Schouten",
    "Verbeek",
    "Willems",
]
# Decided proposals move people on; the share still waiting is what the staff sees in the queue.
_DECIDED_FASES = [
    "geinformeerd",
    "geinformeerd",
    "orientatie",
    "orientatie",
    "in_opleiding",
    "aan_het_werk",
    "uitgestroomd",
]


@lru_cache(maxsize=1)
def _knowledge_parts() -> tuple[Any, Any]:
    from knowledge import KNOWLEDGE_DIR
    from knowledge.loader import load_intake_flow, load_routes

    return load_routes(KNOWLEDGE_DIR), load_intake_flow(KNOWLEDGE_DIR)


def _vacature_index(data: Any) -> Any:
    from matching.vacatures import Vacature, VacatureIndex

    schools = {s["id"]: s for s in data.tables.get("school", [])}
    plaats = {p["id"]: p["naam"] for p in data.tables.get("plaats", [])}
    items = []
    for v in data.tables.get("vacature", []):
        s = schools[v["school_id"]]
        items.append(
            Vacature(
                id=v["id"],
                title=v["titel"],
                school=s["naam"],
                bestuur=s["bestuur_id"],
                place=plaats.get(s["plaats_id"], ""),
                lat=s["lat"],
                lon=s["lon"],
                role=v["rol"],
                sector=v["sector"],
                subject=v["vak"],
                school_type=s["soort"],
                hours_per_week=v["uren_per_week"],
                requires=v["vereist"],
                zij_instroom_mogelijk=v["zij_instroom_mogelijk"],
                description=v["omschrijving"],
            )
        )
    return VacatureIndex.build(items)


def _at(today: date, days_ago: int, hour: int, minute: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=UTC)


def extend(data: Any, *, region: Region, rnd: Any, today: date, scale: str) -> None:
    """Add demo intakes, kandidaten, advice proposals and contact requests to ``data``."""
    if scale != "region":
        return  # the national set is for benchmarks of matching; it needs no console history
    from matching.advise import advise
    from matching.profile import Profile

    routes, flow = _knowledge_parts()
    index = _vacature_index(data)
    places = [m.name for m in region.in_region_municipalities()]
    slot_order = [s.slot for s in flow.slots]
    asks = {s.slot: s.ask.nl for s in flow.slots}
    t = data.tables
    kandidaten, sessies, events, berichten, matches, contacten = [], [], [], [], [], []
    for i in range(SESSIONS):
        sid = hashlib.sha256(f"demo-sessie-{i}".encode()).hexdigest()[:32]
        created = _at(today, rnd.randint(0, 85), rnd.randint(7, 21), rnd.randint(0, 59))
        language = "en" if rnd.random() < 0.1 else "nl"
        channel = "telegram" if rnd.random() < 0.2 else "web"
        base = dict(rnd.choices([a for _, a in _ARCHETYPES], weights=[w for w, _ in _ARCHETYPES])[0])
        base.update(
            place=rnd.choice(places),
            age=rnd.randint(23, 58),
            max_travel_km=rnd.choice([10, 15, 25, 40]),
            consent=True,
            language=language,
        )
        consented = rnd.random() < 0.9
        finished = consented and rnd.random() < 0.75
        asked = [s for s in slot_order if s in base]
        stop_at = len(asked) if finished else rnd.randint(0, max(len(asked) - 1, 0))
        answered = asked[:stop_at]
        profile = {k: base[k] for k in ["consent", "language", *answered]} if consented else {}
        kandidaat_id = f"kand-{i + 1:04d}" if finished else None
        ev = [("question_shown", "consent", 0), ("answered" if consented else "abandoned", "consent", 1)]
        if consented:
            for n, slot in enumerate(answered):
                ev += [("question_shown", slot, 2 + 2 * n), ("answered", slot, 3 + 2 * n)]
            if not finished and stop_at < len(asked):
                ev += [
                    ("question_shown", asked[stop_at], 2 + 2 * stop_at),
                    ("abandoned", asked[stop_at], 3 + 2 * stop_at),
                ]
            if finished:
                ev += [("summary_shown", None, 3 + 2 * stop_at), ("done", None, 4 + 2 * stop_at)]
        for kind, slot, minute in ev:
            events.append(
                {
                    "sessie_id": sid,
                    "at": created + timedelta(minutes=minute),
                    "type": kind,
                    "slot": slot,
                    "source": "button",
                    "channel": channel,
                    "language": language,
                    "value": profile.get(slot) if kind == "answered" and slot in profile else None,
                }
            )
        sessies.append(
            {
                "id": sid,
                "token_hash": hashlib.sha256(rnd.getrandbits(128).to_bytes(16, "big")).hexdigest(),
                "resume_code": None,
                "kandidaat_id": kandidaat_id,
                "channel": channel,
                "language": language,
                "state": {},
                "profile": profile,
                "done": finished,
                "consent_version": "1" if consented else None,
                "consent_at": created + timedelta(minutes=1) if consented else None,
                "blocked": False,
                "message_count": 2 * len(answered) + 2,
                "created_at": created,
                "updated_at": created + timedelta(minutes=4 + 2 * stop_at),
                "expires_at": created + timedelta(days=30),
            }
        )
        if consented:
            for n, slot in enumerate(answered[:4]):
                at = created + timedelta(minutes=2 + 2 * n)
                berichten.append({"sessie_id": sid, "at": at, "direction": "out", "text": asks[slot], "author": None})
                berichten.append(
                    {
                        "sessie_id": sid,
                        "at": at + timedelta(seconds=40),
                        "direction": "in",
                        "text": str(profile[slot]).replace("_", " "),
                        "author": None,
                    }
                )
        if not finished:
            continue
        advice = advise(
            Profile.model_validate(profile), routes=routes, region=region, vacatures=index, language=language, limit=5
        )
        top = advice.routes[0] if advice.routes else None
        decided = rnd.random() < 0.45
        status = (
            rnd.choice(["goedgekeurd", "goedgekeurd", "goedgekeurd", "overschreven", "afgewezen"])
            if decided
            else "voorgesteld"
        )
        other = next((r.id for r in advice.routes[1:] if r.fit != "no"), None)
        if status == "overschreven" and other is None:
            status = "goedgekeurd"
        has_name = rnd.random() < 0.7
        naam = f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}" if has_name else None
        kandidaten.append(
            {
                "id": kandidaat_id,
                "naam": naam,
                "email": f"kandidaat{i + 1}@example.org" if has_name and rnd.random() < 0.8 else None,
                "telefoon": f"06-{rnd.randint(10000000, 99999999)}" if has_name and rnd.random() < 0.4 else None,
                "plaats": profile.get("place"),
                "fase": rnd.choice(_DECIDED_FASES) if decided else "nieuw",
                "volgende_actie_op": None,
                "notities": None,
                "telegram_chat_id": None,
                "created_at": created,
                "updated_at": created + timedelta(minutes=30),
            }
        )
        matches.append(
            {
                "id": f"match-{i + 1:04d}",
                "soort": "advies",
                "kandidaat_id": kandidaat_id,
                "sessie_id": sid,
                "onderwerp_id": top.id if top else "-",
                "score": top.score if top else 0.0,
                "redenen": top.reasons if top else [],
                "gegevens": advice.model_dump(mode="json"),
                "status": status,
                "beoordelaar_id": None,
                "reden": {
                    "overschreven": "Past beter bij werkervaring en wens om door te werken.",
                    "afgewezen": "Eerst een oriëntatiegesprek; advies later opnieuw.",
                }.get(status),
                "vervangen_door": other if status == "overschreven" else None,
                "created_at": created + timedelta(minutes=5 + 2 * stop_at),
                "beoordeeld_at": created + timedelta(days=1) if decided else None,
            }
        )
        if rnd.random() < 0.15:
            due = created + timedelta(days=2)
            done = due < datetime.combine(today, time(0), tzinfo=UTC) - timedelta(days=3) and rnd.random() < 0.7
            contacten.append(
                {
                    "id": f"contact-{i + 1:04d}",
                    "sessie_id": sid,
                    "kandidaat_id": kandidaat_id,
                    "contact": f"kandidaat{i + 1}@example.org",
                    "contact_kind": "email",
                    "voorkeur": rnd.choice(["'s ochtends", "na 17 uur", None]),
                    "samenvatting": profile,
                    "status": "afgerond" if done else "open",
                    "beloofd_voor": due.replace(hour=17, minute=0),
                    "behandeld_door": None,
                    "created_at": created + timedelta(minutes=6),
                    "afgerond_at": due if done else None,
                }
            )
    # Dependent tables after the ones they refer to (seed() orders by foreign keys anyway).
    t.setdefault("kandidaat", []).extend(kandidaten)
    t.setdefault("intake_sessie", []).extend(sessies)
    t.setdefault("intake_event", []).extend(events)
    t.setdefault("intake_bericht", []).extend(berichten)
    t.setdefault("match", []).extend(matches)
    t.setdefault("contact_verzoek", []).extend(contacten)
