"""Demo starters: a few per bestuur in different stages, so the overview's funnel shows something."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from knowledge.schema.region import Region

NAMES = ["Sanne", "Youssef", "Lotte", "Daan", "Fatima", "Milan", "Noor", "Thijs", "Ayla", "Sem", "Eva", "Bram"]
STAGES = ["nieuw", "uitgenodigd", "herinnerd", "niet_bereikt", "geweigerd", "uitgenodigd"]


def extend(data: Any, *, region: Region, rnd: Any, today: date, scale: str) -> None:
    if scale != "region":
        return
    schools = data.tables.get("school", [])[:12]
    now = datetime(today.year, today.month, today.day, 8, 0).astimezone()
    rows = data.tables.setdefault("starter", [])
    for i, school in enumerate(schools):
        status = STAGES[i % len(STAGES)]
        invited = now - timedelta(days=10) if status != "nieuw" else None
        rows.append({"id": f"starter-{i + 1:04d}", "bestuur_id": school["bestuur_id"], "school_id": school["id"],
                     "naam": f"{NAMES[i]} (demo)", "email": f"starter{i + 1}@demo-school.example", "telefoon": None,
                     "rol": "leerkracht", "startdatum": date(today.year if today.month >= 8 else today.year - 1, 8, 24),
                     "diploma_jaar": today.year if today.month >= 8 else today.year - 1, "status": status,
                     "token_hash": None, "uitgenodigd_at": invited,
                     "herinnerd_at": now - timedelta(days=3) if status in ("herinnerd", "niet_bereikt") else None,
                     "geantwoord_at": now - timedelta(days=5) if status == "geweigerd" else None,
                     "gesprek_id": None, "uitkomst": None, "uitkomst_at": None, "uitkomst_gevraagd_at": None,
                     "vergeten_at": None, "created_at": now - timedelta(days=12), "created_by": "demo"})
