"""Demo loopbaangesprekken: held conversations with outcomes and feedback, and a few in the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from loket.coach.models import EXPERTISE_TAGS
from loket.loopbaangesprek.models import UITKOMSTEN

_NAMES = ["Anouk", "Bas", "Demi", "Emre", "Femke", "Hugo", "Iris", "Jesse", "Kim", "Lars", "Mila", "Nina"]
_WISHES = [
    "Ik twijfel of ik in het basisonderwijs wil blijven.",
    "Ik wil graag leidinggeven, maar weet niet hoe ik begin.",
    "De werkdruk is hoog en ik wil minder uren werken.",
    "Ik ben net begonnen en zoek iemand om mee te sparren.",
    "Ik denk aan een overstap naar het vo.",
    "Ik wil rekenspecialist worden.",
]


def extend(data: Any, *, region: Any, rnd: Any, today: date, scale: str) -> None:
    """Add demo requests (deterministic from ``rnd``) to ``data.tables``."""
    besturen = [b["id"] for b in data.tables.get("bestuur", [])]
    coaches = data.tables.get("coach", [])
    if not besturen or not coaches:
        return
    count = 30 if scale == "region" else 500
    start = datetime.combine(today, time(9), tzinfo=UTC)
    gesprekken, offers = [], []
    for i in range(count):
        bestuur = rnd.choice(besturen)
        allowed = [c for c in coaches if c["bestuur_id"] != bestuur]  # never a coach of the own bestuur
        created = start - timedelta(days=rnd.randint(1, 120), hours=rnd.randint(0, 8))
        starter = rnd.random() < 0.3
        tags = sorted(
            {rnd.choice([t for t in EXPERTISE_TAGS if t != "starters en inductie"])}
            | ({"starters en inductie"} if starter else set())
        )
        gid = f"lbg-{i + 1:05d}"
        waiting = i % 10 == 0
        row: dict[str, Any] = {
            "id": gid,
            "bestuur_id": bestuur,
            "huidige_rol": "leerkracht",
            "wens": rnd.choice(_WISHES),
            "tags": tags,
            "starter": starter,
            "urgentie": "hoog" if rnd.random() < 0.15 else "normaal",
            "contact_voorkeur": {"kanaal": "email", "tijden": "woensdagmiddag"},
            "status": "wachtend",
            "toelichting": {},
            "created_at": created,
            "naam": f"{rnd.choice(_NAMES)} (demo)",
            "email": f"leraar{i + 1}@example.org",
            "kanaal": rnd.choice(["web", "web", "chat"]),
            "taal": "nl",
            "voorgestelde_tijden": [],
            "beloofd_contact_op": (created + timedelta(days=3)).date(),
            # Every row has every key: one insert of many rows needs the same columns in each.
            **dict.fromkeys(
                (
                    "coach_id",
                    "toegewezen_at",
                    "afspraak_at",
                    "afgerond_at",
                    "uitkomst",
                    "feedback_score",
                    "feedback_at",
                    "wachtrij_sinds",
                )
            ),
        }
        if waiting or not allowed:
            row["wachtrij_sinds"] = start - timedelta(hours=rnd.randint(2, 60))
            row["toelichting"] = {"gekozen": None, "uitgesloten_aantal": {"geen_capaciteit": len(allowed)}}
        else:
            coach = rnd.choice(allowed)
            answered = created + timedelta(hours=rnd.randint(2, 40))
            at = answered + timedelta(days=rnd.randint(3, 10))
            row.update(
                status="afgerond",
                coach_id=coach["id"],
                toegewezen_at=created,
                afspraak_at=at,
                afgerond_at=at + timedelta(hours=1),
                uitkomst=rnd.choice(UITKOMSTEN),
                toelichting={"gekozen": coach["id"], "redenen": ["niet van het eigen bestuur van de leraar"]},
            )
            if rnd.random() < 0.7:
                row.update(feedback_score=rnd.choice([3, 4, 4, 5, 5]), feedback_at=at + timedelta(days=1))
            offers.append(
                {
                    "id": f"lbt-{i + 1:05d}",
                    "loopbaangesprek_id": gid,
                    "coach_id": coach["id"],
                    "status": "geaccepteerd",
                    "toelichting": row["toelichting"],
                    "aangeboden_at": created,
                    "deadline": created + timedelta(days=2),
                    "beantwoord_at": answered,
                }
            )
        gesprekken.append(row)
    data.tables["loopbaangesprek"] = gesprekken
    data.tables["loopbaangesprek_toewijzing"] = offers
