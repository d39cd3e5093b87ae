"""Precomputed word tables for free-text understanding, built once from the vocabularies and the region.

``Lexicon.build`` is pure: it turns every synonym, place name, cue and number word into token
tuples and lookup tables so that ``bot.understand`` does only dictionary lookups and one rapidfuzz
``cdist`` call per message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from knowledge.folding import fold_char
from knowledge.schema.region import PlaceRef, Region
from knowledge.schema.vocab import Vocabularies

PLACE = "place"  # pseudo-vocabulary name for region names
CUE = "cue"

# Digits with an optional decimal part ("2,5") or a run of letters; everything else separates tokens.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")
_BREAK = re.compile(r"[.;:!?\n()\[\]{}|/\u061b\u061f\u06d4]|[,\u060c](?!\d)")  # with Arabic ، ؛ ؟ ۔
_INVISIBLE = {"Cf", "Cc", "Co", "Cs", "Cn"}
# Fuzzy matching only for words this long: shorter words are too easily another word.
MIN_FUZZY_CHARS = 5
# Cue groups whose words are long and distinctive enough to be recognised with a typo ("bachlor", "wonne").
FUZZY_CUES = frozenset({"bachelor", "home", "diploma_noun"})


@dataclass(frozen=True)
class Token:
    """One word or number of a message, with its place in the original text and its clause number."""

    text: str
    start: int
    end: int
    clause: int


@dataclass(frozen=True)
class Hit:
    """A phrase of a vocabulary: which value it means and whether it counts only when that slot is asked."""

    vocab: str
    value: Any
    expected_only: bool
    adjective: bool = False  # countries: an adjective form ("Pools"), counts only before a diploma word


def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) in _INVISIBLE and ch not in "\n\t":
        return ""
    return fold_char(ch)


def fold(text: str) -> tuple[str, list[int]]:
    """Return ``text`` folded (NFKC, no accents or invisible characters, lower case) and, per folded
    character, the index of the original character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def tokenize(text: str, *, max_tokens: int | None = None) -> list[Token]:
    """Split ``text`` into folded tokens with original offsets and clause numbers (punctuation ends one)."""
    folded, where = fold(text)
    tokens: list[Token] = []
    clause = 0
    pos = 0
    for m in _TOKEN.finditer(folded):
        if _BREAK.search(folded, pos, m.start()):
            clause += 1
        pos = m.end()
        start = where[m.start()] if where else m.start()
        end = where[m.end() - 1] + 1 if where else m.end()
        tokens.append(Token(m.group(), start, end, clause))
        if max_tokens is not None and len(tokens) >= max_tokens:
            break
    return tokens


def phrase_key(text: str) -> str:
    """Return the lookup key of a synonym: its folded tokens joined by single spaces."""
    return " ".join(t.text for t in tokenize(text))


@dataclass
class Lexicon:
    """Lookup tables for ``bot.understand``. Build with ``Lexicon.build``; never mutate afterwards."""

    phrases: dict[str, list[Hit]] = field(default_factory=dict)
    max_phrase_tokens: int = 1
    multi_starts: frozenset[str] = frozenset()  # first words of phrases longer than one token
    known_tokens: frozenset[str] = frozenset()
    # Fuzzy candidates per phrase length in tokens: (keys, hits per key).
    fuzzy: dict[int, tuple[list[str], list[list[Hit]]]] = field(default_factory=dict)
    places: dict[str, PlaceRef] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)  # vocabulary name -> Profile slot
    kinds: dict[str, str] = field(default_factory=dict)  # vocabulary name -> kind
    number_tags: dict[str, str] = field(default_factory=dict)  # number word -> "unit"/"tens"/"fraction"
    intents: dict[str, str] = field(default_factory=dict)
    prefix_intents: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    facts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (slot, pattern tokens)
    region_name: str = ""
    country_eu: dict[str, bool] = field(default_factory=dict)  # country value -> EU/EEA/CH member
    home_countries: frozenset[str] = frozenset()
    in_education: dict[str, bool] = field(default_factory=dict)  # current_role value -> job in education
    place_keys: list[str] = field(default_factory=list)  # folded region names, for typo-tolerant look-ups
    yes_no_words: dict[str, bool] = field(default_factory=dict)  # one-word yes/no phrases, for typo look-ups

    @classmethod
    def build(cls, vocab: Vocabularies, region: Region) -> Lexicon:
        """Precompute every table from the checked vocabularies and region (pure, run once at start-up)."""
        lex = cls(region_name=region.region.name)
        for name, v in vocab.by_name.items():
            lex.kinds[name] = v.kind
            if v.slot:
                lex.slots[name] = v.slot
            for entry in v.entries:
                if v.kind == "intent":
                    for word in entry.synonyms:
                        lex.intents.setdefault(phrase_key(word), str(entry.value))
                    if entry.prefix_ok:
                        lex.prefix_intents |= {phrase_key(w) for w in entry.synonyms}
                    continue
                if v.kind == "filler":
                    lex.fillers |= {phrase_key(w) for w in entry.synonyms}
                    continue
                if v.kind == "slot_phrase" and name == "boolean_facts":
                    lex.facts.extend((str(entry.value), tuple(phrase_key(w).split())) for w in entry.synonyms)
                    continue
                if v.kind == "country":
                    lex.country_eu[str(entry.value)] = bool(entry.eu)
                    if entry.home:
                        lex.home_countries |= {str(entry.value)}
                    for word in entry.adjectives:
                        lex._add(word, Hit(name, entry.value, True, adjective=True))
                if entry.in_education is not None:
                    lex.in_education[str(entry.value)] = entry.in_education
                if v.kind == "number" and entry.tag:
                    for word in entry.synonyms:
                        lex.number_tags[phrase_key(word)] = entry.tag
                for word in entry.synonyms:
                    lex._add(word, Hit(name, entry.value, False))
                extra = list(entry.expected_only)
                if v.kind in ("enum", "free"):
                    # Button values and labels typed as text ("hbo_bachelor", "Hbo-bachelor") are answers too.
                    extra.append(str(entry.value).replace("_", " "))
                    if entry.label is not None:
                        extra.extend([entry.label.nl, entry.label.en])
                for word in extra:
                    lex._add(word, Hit(name, entry.value, True))
        for key, ref in region.names().items():
            lex.places[key] = ref
            lex._add(key, Hit(PLACE, ref, False))
        lex.place_keys = [phrase_key(k) for k in lex.places]
        lex.yes_no_words = {
            key: bool(hit.value)
            for key, hits in lex.phrases.items()
            for hit in hits
            if hit.vocab == "yes_no" and " " not in key and len(key) >= 4
        }
        lex._build_fuzzy()
        return lex

    def _add(self, word: str, hit: Hit) -> None:
        key = phrase_key(word)
        if not key:
            return
        hits = self.phrases.setdefault(key, [])
        # The first word of a vocabulary wins; a later label or value never overrides a real synonym.
        # Cue words are the exception: "wil" is both a wish and a diploma not yet done.
        if any(
            h.vocab == hit.vocab and (self.kinds.get(h.vocab) != CUE or h.value == hit.value) for h in hits
        ):
            return
        hits.append(hit)
        if " " in key:
            self.max_phrase_tokens = max(self.max_phrase_tokens, key.count(" ") + 1)
            self.multi_starts |= {key.split(" ", 1)[0]}

    def _build_fuzzy(self) -> None:
        known: set[str] = set()
        by_len: dict[int, dict[str, list[Hit]]] = {}
        for key, hits in self.phrases.items():
            known.update(key.split())
            skip = (CUE, "number", "dont_know", "boolean")
            content = [
                h
                for h in hits
                if (self.kinds.get(h.vocab) not in skip or (h.vocab == "cues" and h.value in FUZZY_CUES))
                and not h.expected_only
            ]
            if content and len(key) >= MIN_FUZZY_CHARS:
                by_len.setdefault(key.count(" ") + 1, {})[key] = content
        known.update(self.fillers)
        self.known_tokens = frozenset(known)
        self.fuzzy = {n: (list(d), list(d.values())) for n, d in by_len.items() if n <= 3}
        # rapidfuzz initialises itself on first use (~0.2 s); pay that at start-up, not in the first chat.
        process.cdist(["warm"], ["up"], scorer=fuzz.ratio, processor=utils.default_process, workers=1)
        process.extractOne("warm", ["up"], scorer=fuzz.ratio, processor=utils.default_process)

    def slot_of(self, vocab_name: str) -> str | None:
        """Return the Profile slot a vocabulary fills, or ``None``."""
        return self.slots.get(vocab_name)
