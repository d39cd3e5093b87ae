"""The region file (``knowledge/region.yaml``): subregio's, municipalities and place names.

``load_region`` reads and checks the file once at start-up; the ``Region`` it returns answers
lookups by name without any I/O, insensitive to case, diacritics, hyphens and apostrophes.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from knowledge.errors import KnowledgeError, KnowledgeErrors, read_yaml, validate
from knowledge.folding import fold_text
from knowledge.schema.text import FrozenText

REGION_FILE = "region.yaml"

_NON_WORD = re.compile(r"[\W_]+")  # letters and digits of every script stay
_PARENTHESISED = re.compile(r"\s*\([^)]*\)\s*")
# A loose box around the Netherlands: a coordinate outside it is a typo in the file.
_LAT_RANGE = (50.7, 53.7)
_LON_RANGE = (3.2, 7.3)


def normalise_name(text: str) -> str:
    """Return ``text`` folded for lookups: NFKC, no diacritics, lower case, split on punctuation."""
    return _NON_WORD.sub(" ", fold_text(text)).strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Label = FrozenText  # a label shown to people (knowledge.schema.text)


class RegionInfo(_Strict):
    id: str
    name: str
    label: Label


class Source(_Strict):
    name: str
    url: str | None = None


class Subregio(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str


class Municipality(_Strict):
    name: str = Field(min_length=1)
    subregio: str | None = None
    in_region: bool = True
    lat: float
    lon: float
    aliases: list[str] = []


class Place(_Strict):
    """A woonplaats, dorp or wijk inside a municipality."""

    name: str = Field(min_length=1)
    municipality: str
    lat: float | None = None
    lon: float | None = None
    aliases: list[str] = []


class PlaceRef(_Strict):
    """The answer of a lookup: the name as written, its municipality and where it is."""

    name: str
    municipality: str
    subregio: str | None
    in_region: bool
    lat: float
    lon: float
    is_municipality: bool


class Region(_Strict):
    """The checked region file with lookups by normalised name."""

    region: RegionInfo
    sources: list[Source]
    subregios: list[Subregio]
    municipalities: list[Municipality]
    places: list[Place] = []

    _index: dict[str, PlaceRef] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._index = _build_index(self)

    def lookup(self, name: str) -> PlaceRef | None:
        """Return the place or municipality called ``name`` (any case, accents, hyphens), or ``None``."""
        return self._index.get(normalise_name(name))

    def municipality_of(self, name: str) -> str | None:
        """Return the municipality name for a place or municipality name, or ``None`` when unknown."""
        ref = self.lookup(name)
        return ref.municipality if ref else None

    def coordinates(self, name: str) -> tuple[float, float] | None:
        """Return approximate ``(lat, lon)`` of a known place or municipality, or ``None``."""
        ref = self.lookup(name)
        return (ref.lat, ref.lon) if ref else None

    def distance_km(self, a: str, b: str) -> float | None:
        """Return the straight-line distance in km between two known names (``None`` if one is unknown)."""
        pa, pb = self.coordinates(a), self.coordinates(b)
        if pa is None or pb is None:
            return None
        return haversine_km(pa, pb)

    def subregio_name(self, subregio_id: str) -> str | None:
        """Return the display name of a subregio id, or ``None``."""
        return next((s.name for s in self.subregios if s.id == subregio_id), None)

    def in_region_municipalities(self) -> list[Municipality]:
        """Return the municipalities that belong to the onderwijsregio."""
        return [m for m in self.municipalities if m.in_region]

    def names(self) -> dict[str, PlaceRef]:
        """Return every normalised name (municipalities, places, aliases) with what it refers to."""
        return dict(self._index)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km between two ``(lat, lon)`` points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _spellings(name: str, aliases: list[str]) -> list[str]:
    """All normalised spellings of one entry; "Elst (Utrecht)" is also found as "Elst"."""
    out: list[str] = []
    for raw in (name, *aliases):
        for variant in (raw, _PARENTHESISED.sub(" ", raw)):
            key = normalise_name(variant)
            if key and key not in out:
                out.append(key)
    return out


def _build_index(region: Region) -> dict[str, PlaceRef]:
    index: dict[str, PlaceRef] = {}
    by_name = {m.name: m for m in region.municipalities}
    for m in region.municipalities:
        ref = PlaceRef(name=m.name, municipality=m.name, subregio=m.subregio, in_region=m.in_region,
                       lat=m.lat, lon=m.lon, is_municipality=True)
        for key in _spellings(m.name, m.aliases):
            index.setdefault(key, ref)
    for p in region.places:
        m = by_name[p.municipality]
        ref = PlaceRef(name=p.name, municipality=m.name, subregio=m.subregio, in_region=m.in_region,
                       lat=p.lat if p.lat is not None else m.lat, lon=p.lon if p.lon is not None else m.lon,
                       is_municipality=False)
        # A municipality keeps its own name when a village shares it.
        for key in _spellings(p.name, p.aliases):
            index.setdefault(key, ref)
    return index


def entry_lines(text: str, key: str) -> list[int]:
    """Return the 1-based line of each item of the top-level list ``key`` in a YAML text (empty if absent)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _line(lines: list[int], i: int) -> int | None:
    return lines[i] if i < len(lines) else None


def _check_coordinates(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    if not (_LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]):
        return f"coordinates ({lat}, {lon}) are outside the Netherlands"
    return None


def check_region(data: Any, *, file: Path, text: str = "") -> Region:
    """Validate parsed region data; raise ``KnowledgeErrors`` listing every problem (file, entry, line)."""
    if not isinstance(data, dict):
        raise KnowledgeErrors([KnowledgeError(file, None, "expected a mapping at the top level")])
    errors: list[KnowledgeError] = []
    for key in ("region", "sources", "subregios", "municipalities"):
        if key not in data:
            errors.append(KnowledgeError(file, None, f"missing top-level key '{key}'"))
    if errors:
        raise KnowledgeErrors(errors)

    def items(key: str, model: type[BaseModel], label: str) -> list[Any]:
        raw = data.get(key) or []
        if not isinstance(raw, list):
            errors.append(KnowledgeError(file, key, "expected a list"))
            return []
        lines = entry_lines(text, key)
        out = []
        for i, item in enumerate(raw):
            name = item.get(label) if isinstance(item, dict) else None
            entry = f"{key}[{i}]" + (f" ({name})" if name else "")
            try:
                out.append((i, entry, validate(model, item, file=file, entry=entry)))
            except KnowledgeError as exc:
                errors.append(KnowledgeError(file, entry, exc.reason, line=_line(lines, i)))
        return out

    try:
        validate(RegionInfo, data["region"], file=file, entry="region")
    except KnowledgeError as exc:
        errors.append(exc)
    subregios = items("subregios", Subregio, "id")
    municipalities = items("municipalities", Municipality, "name")
    places = items("places", Place, "name")
    sub_ids = {s.id for _, _, s in subregios}
    muni_names = {m.name for _, _, m in municipalities}
    m_lines, p_lines = entry_lines(text, "municipalities"), entry_lines(text, "places")

    seen: dict[str, str] = {}

    def claim(keys: list[str], owner: str, entry: str, line: int | None) -> None:
        for key in keys:
            other = seen.get(key)
            if other is not None and other != owner:
                reason = f"name '{key}' already refers to {other}"
                errors.append(KnowledgeError(file, entry, reason, line=line))
            seen.setdefault(key, owner)

    for i, entry, m in municipalities:
        line = _line(m_lines, i)
        if m.in_region and m.subregio is None:
            reason = "a municipality in the region needs a subregio"
            errors.append(KnowledgeError(file, entry, reason, line=line))
        if m.subregio is not None and m.subregio not in sub_ids:
            errors.append(KnowledgeError(file, entry, f"unknown subregio '{m.subregio}'", line=line))
        if problem := _check_coordinates(m.lat, m.lon):
            errors.append(KnowledgeError(file, entry, problem, line=line))
        claim([normalise_name(n) for n in (m.name, *m.aliases)], m.name, entry, line)
    for i, entry, p in places:
        line = _line(p_lines, i)
        if p.municipality not in muni_names:
            errors.append(KnowledgeError(file, entry, f"unknown municipality '{p.municipality}'", line=line))
        if problem := _check_coordinates(p.lat, p.lon):
            errors.append(KnowledgeError(file, entry, problem, line=line))
        claim([normalise_name(n) for n in (p.name, *p.aliases)], p.municipality, entry, line)
    if errors:
        raise KnowledgeErrors(errors)
    return Region.model_validate(data)


def load_region(knowledge_dir: Path) -> Region:
    """Read and check ``region.yaml``; raise ``KnowledgeErrors`` naming file, entry and reason."""
    path = Path(knowledge_dir) / REGION_FILE
    try:
        data = read_yaml(path)
    except KnowledgeError as exc:
        raise KnowledgeErrors([exc]) from None
    return check_region(data, file=path, text=path.read_text(encoding="utf-8"))
