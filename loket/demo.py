"""A deterministic demo region: besturen, schools on real places, vacatures, invallers, coaches.

``generate`` makes plain rows (no database) from a seed and a reference date, so the same call always gives
the same region; ``seed`` writes them. ``scale="national"`` makes a national-size set for benchmarks,
``"national10"`` ten times that.
The names are invented; the places and their coordinates come from ``knowledge/region.yaml``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from knowledge.schema.region import Region, normalise_name
from loket import models as m
from loket.ambitie import demo as ambitie_demo
from loket.coach.models import EXPERTISE_TAGS
from loket.console import demo as console_demo
from loket.loopbaangesprek import demo as loopbaangesprek_demo
from loket.starter import demo as starter_demo
from loket.vervangingsvraag import demo as invalpool_demo

Scale = Literal["region", "national", "national10"]
SCALES: tuple[str, ...] = ("region", "national", "national10")

# Domain packages add demo rows of their own here: f(data, *, region, rnd, today, scale) -> None.
# They run after the core rows above, in this order, with the same random generator (so still deterministic).
EXTENSIONS: list[Callable[..., None]] = [
    console_demo.extend,
    loopbaangesprek_demo.extend,
    invalpool_demo.extend,
    ambitie_demo.extend,
    starter_demo.extend,
]

SIZES: dict[str, dict[str, int]] = {
    "region": {"besturen": 40, "schools": 300, "vacatures": 150, "invallers": 200, "coaches": 25},
    "national": {"besturen": 1000, "schools": 6000, "vacatures": 20000, "invallers": 10000, "coaches": 400},
    # Ten times national: the headroom the matching must have (``loket bench advice --scale national10``).
    "national10": {"besturen": 10000, "schools": 60000, "vacatures": 200000, "invallers": 100000, "coaches": 4000},
}

_SCHOOL_PREFIX = ["OBS", "CBS", "KBS", "PCBS", "Montessorischool", "Jenaplanschool", "Daltonschool", "IKC", "SBO", "SO"]
_SCHOOL_NAMES = [
    "De Regenboog", "De Wegwijzer", "Het Kompas", "De Vlinder", "De Ster", "De Zonnewijzer", "Het Palet",
    "De Springplank", "De Horizon", "De Klimop", "De Linde", "Het Anker", "De Eendracht", "De Tweemaster",
    "De Boomgaard", "Het Mozaïek", "De Fontein", "De Kameleon", "De Notenbalk", "De Vuurtoren", "Sint Jozef",
    "De Piramide", "Het Startpunt", "De Dukdalf", "De Bron", "De Vonk", "Meander", "De Wilgenhoek",
]
_BESTUUR_WORDS = ["Primair", "Samen", "Kind", "Talent", "Leren", "Basis", "Groei", "Wijzer", "Kansrijk", "Vonk"]
_FIRST = ["Anna", "Bram", "Chantal", "Daan", "Esra", "Fleur", "Gijs", "Hanna", "Ilias", "Joost", "Karin", "Lotte",
          "Mohamed", "Noor", "Olaf", "Priya", "Ruben", "Sanne", "Thijs", "Yara", "Wim", "Zeynep", "Marloes", "Kees"]
_LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters",
         "Hendriks", "van Dijk", "Yilmaz", "El Amrani", "Dekker", "van Leeuwen", "Kok", "Brouwer", "de Groot"]
_GROEPEN = ["1-2", "3-4", "5-6", "7-8"]

# (role, sector, subject, requires, share, title templates)
_VACATURE_KINDS: list[tuple[str, str, str | None, str, float, list[str]]] = [
    ("groepsleerkracht", "po", None, "po_bevoegdheid", 0.55,
     ["Groepsleerkracht groep {g}", "Leerkracht groep {g} ({f} fte)", "Juf/meester groep {g}"]),
    ("vakleerkracht", "po", "bewegingsonderwijs", "gym_bevoegdheid", 0.08,
     ["Vakleerkracht bewegingsonderwijs", "Vakleerkracht gym ({f} fte)"]),
    ("vakleerkracht", "po", "muziek", "po_bevoegdheid", 0.02, ["Vakleerkracht muziek"]),
    ("onderwijsassistent", "po", None, "geen", 0.15, ["Onderwijsassistent groep {g}", "Onderwijsassistent"]),
    ("leraarondersteuner", "po", None, "geen", 0.05, ["Leraarondersteuner", "Leraarondersteuner onderbouw"]),
    ("schoolleider", "po", None, "schoolleider", 0.05, ["Directeur", "Adjunct-directeur", "Schoolleider"]),
    ("groepsleerkracht", "so", None, "po_bevoegdheid", 0.10,
     ["Leerkracht speciaal onderwijs", "Leerkracht SBO groep {g}"]),
]


@dataclass
class DemoData:
    """Rows per table, in insert order."""

    today: date
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def _school_days(start: date, n: int) -> list[date]:
    days, d = [], start
    while len(days) < n:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days.append(d)
    return days


def generate(region: Region, *, today: date, scale: Scale = "region", seed: int = 2026) -> DemoData:
    """Make the demo region for ``today``: the same arguments always give the same rows."""
    size = SIZES[scale]
    rnd = random.Random(seed)
    data = DemoData(today=today)
    t = data.tables

    t["regio"] = [{"id": region.region.id, "naam": region.region.name}]
    t["subregio"] = [{"id": s.id, "regio_id": region.region.id, "naam": s.name} for s in region.subregios]
    munis = region.municipalities if scale != "region" else region.in_region_municipalities()
    t["plaats"] = [
        {"id": _slug(mu.name), "naam": mu.name, "subregio_id": mu.subregio, "lat": mu.lat, "lon": mu.lon,
         "in_regio": mu.in_region}
        for mu in region.municipalities
    ]
    # Bigger places get more schools: weight by a rough size (named places inside the municipality + 1).
    weights = [1 + sum(1 for p in region.places if p.municipality == mu.name) for mu in munis]
    wijken = {mu.name: [p for p in region.places if p.municipality == mu.name] for mu in munis}

    besturen = []
    for i in range(size["besturen"]):
        home = rnd.choices(munis, weights=weights)[0]
        naam = f"Stichting {rnd.choice(_BESTUUR_WORDS)}{rnd.choice(['', ' Onderwijs', ' Scholen'])} {home.name} {i + 1}"
        besturen.append({"id": f"bestuur-{i + 1:04d}", "naam": naam, "regio_id": region.region.id,
                         "in_invalpool": rnd.random() < 0.85, "max_ketencontracten": 6,
                         "ketenperiode_maanden": 36, "dispatch": {"tier_delays_minutes": [30, 60, 120]},
                         "_home": home})
    t["bestuur"] = [{k: v for k, v in b.items() if not k.startswith("_")} for b in besturen]

    schools = []
    for i in range(size["schools"]):
        bestuur = besturen[i % len(besturen)] if i < len(besturen) else rnd.choice(besturen)
        # Most schools of a board are near its home municipality.
        mu = bestuur["_home"] if rnd.random() < 0.6 else rnd.choices(munis, weights=weights)[0]
        wijk = rnd.choice(wijken[mu.name]) if wijken[mu.name] and rnd.random() < 0.5 else None
        lat = (wijk.lat if wijk and wijk.lat else mu.lat) + rnd.uniform(-0.012, 0.012)
        lon = (wijk.lon if wijk and wijk.lon else mu.lon) + rnd.uniform(-0.018, 0.018)
        prefix = rnd.choice(_SCHOOL_PREFIX)
        soort = "sbo" if prefix == "SBO" else "so" if prefix == "SO" else "basisschool"
        schools.append({"id": f"school-{i + 1:05d}", "bestuur_id": bestuur["id"],
                        "naam": f"{prefix} {rnd.choice(_SCHOOL_NAMES)}", "soort": soort,
                        "plaats_id": _slug(mu.name), "wijk": wijk.name if wijk else None,
                        "lat": round(lat, 5), "lon": round(lon, 5), "_plaats": mu.name})
    t["school"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in schools]

    kinds = _VACATURE_KINDS
    vacatures = []
    for i in range(size["vacatures"]):
        role, sector, subject, requires, _share, titles = rnd.choices(kinds, weights=[k[4] for k in kinds])[0]
        school = rnd.choice(schools)
        fte = rnd.choice([0.4, 0.5, 0.6, 0.8, 1.0])
        title = rnd.choice(titles).format(g=rnd.choice(_GROEPEN), f=str(fte).replace(".", ","))
        zij = requires == "po_bevoegdheid" and rnd.random() < 0.35
        vacatures.append({
            "id": f"vac-{i + 1:05d}", "school_id": school["id"], "titel": title, "rol": role,
            "sector": sector, "vak": subject, "uren_per_week": round(fte * 40, 1), "vereist": requires,
            "zij_instroom_mogelijk": zij,
            "omschrijving": f"{title} bij {school['naam']} in {school['_plaats']}."
                            + (" Zij-instromers zijn welkom." if zij else ""),
            "status": "open", "sluit_op": today + timedelta(days=rnd.randint(14, 60)),
        })
    t["vacature"] = vacatures

    days = _school_days(today, 20)
    invallers, goedkeuringen, beschikbaar = [], [], []
    pool_besturen = [b for b in besturen if b["in_invalpool"]]
    for i in range(size["invallers"]):
        mu = rnd.choices(munis, weights=weights)[0]
        bevoegd = ["po_bevoegdheid"] + (["gym_bevoegdheid"] if rnd.random() < 0.12 else [])
        inv_id = f"inv-{i + 1:05d}"
        invallers.append({
            "id": inv_id, "naam": f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}",
            "email": f"invaller{i + 1}@example.org", "bevoegdheden": bevoegd,
            "groepen": sorted(rnd.sample(_GROEPEN, rnd.randint(1, 4))), "vakken": [],
            "plaats_id": _slug(mu.name), "lat": round(mu.lat + rnd.uniform(-0.01, 0.01), 5),
            "lon": round(mu.lon + rnd.uniform(-0.015, 0.015), 5),
            "max_afstand_km": rnd.choice([10.0, 15.0, 20.0, 25.0, 40.0]), "voorkeur_scholen": [],
            "tier": rnd.choice([1, 1, 2, 2, 3]),
            "vog_geldig_tot": today + timedelta(days=rnd.randint(-30, 900)),
            "id_geldig_tot": today + timedelta(days=rnd.randint(60, 3000)), "actief": True,
        })
        for b in rnd.sample(pool_besturen, min(len(pool_besturen), rnd.randint(1, 5))):
            goedkeuringen.append({"invaller_id": inv_id, "bestuur_id": b["id"], "status": "goedgekeurd"})
        for d in days:
            if rnd.random() < 0.45:
                beschikbaar.append({"invaller_id": inv_id, "datum": d, "dagdeel": "dag", "beschikbaar": True})
    t["invaller"], t["invaller_goedkeuring"], t["beschikbaarheid"] = invallers, goedkeuringen, beschikbaar

    t["coach"] = [
        {"id": f"coach-{i + 1:03d}", "naam": f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}",
         "email": f"coach{i + 1}@example.org", "bestuur_id": rnd.choice(besturen)["id"],
         "expertise": sorted(rnd.sample(EXPERTISE_TAGS, rnd.randint(1, 3))),
         "subregio_id": rnd.choice(region.subregios).id, "capaciteit_per_week": rnd.randint(1, 4),
         "beschikbaarheid": {"ma": ["09:00-12:00"], "wo": ["13:00-17:00"]}, "actief": True}
        for i in range(size["coaches"])
    ]
    for extend in EXTENSIONS:
        extend(data, region=region, rnd=rnd, today=today, scale=scale)
    return data


def _slug(name: str) -> str:
    return normalise_name(name).replace(" ", "-")


def seed(session: Session, data: DemoData) -> dict[str, int]:
    """Insert the demo rows (tables in dependency order; the database must be empty of them); return counts."""
    counts = {}
    for table in m.Base.metadata.sorted_tables:
        rows = data.tables.get(table.name)
        if not rows:
            continue
        for start in range(0, len(rows), 2000):
            session.execute(insert(table), rows[start:start + 2000])
        counts[table.name] = len(rows)
    unknown = set(data.tables) - set(m.Base.metadata.tables)
    if unknown:
        raise ValueError(f"demo data for unknown tables: {sorted(unknown)}")
    return counts
