"""Free-text understanding for the brede intake: rules plus rapidfuzz, no model, no I/O.

``extract`` reads one message and returns the Profile slots it states, validated like a typed
answer. ``detect_intent`` recognises commands about the conversation ("stop", "english please").
``extract_edit_target`` names the slot a correction is about. All words come from the lexicon
(built from ``knowledge/vocabularies`` and ``knowledge/region.yaml``); this module holds only the
reading rules: which cue words make a fact count, how numbers are read, and how a slot the bot
asked for changes what a short answer means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.lexicon import CUE, MIN_FUZZY_CHARS, PLACE, Hit, Lexicon, Token, tokenize
from matching.profile import EDUCATION_ORDER, validate_slot

# Work caps: a 100 kB paste is read only as far as a real answer could reach.
MAX_CHARS = 4000
MAX_TOKENS = 400
MAX_FUZZY_QUERIES = 48
MAX_INTENT_TOKENS = 14
MAX_FREE_WORDS = 8

BOOLEAN_SLOTS = (
    "works_in_education", "keep_income", "enrolled_teacher_education",
    "has_school_board_contact", "foreign_teaching_qualification",
)  # fmt: skip
NUMBER_SLOTS = ("age", "days_per_week", "qualification_year", "max_travel_km")
FREE_SLOTS = ("education_field", "current_role", "goal_subject")
SLOT_VOCAB = {
    "goal_role": "goal_role", "target_sector": "target_sector", "education_level": "education_level",
    "exam_subjects": "exam_subjects", "foreign_diploma": "foreign_diploma", "dutch_level": "dutch_level",
    "teaching_qualification": "teaching_qualification", "vog_ok": "vog_ok",
    "education_field": "education_field", "current_role": "current_role", "goal_subject": "goal_subject",
}  # fmt: skip
_YEAR_RANGE = (1940, 2100)
_LEVEL_RANK = {level.value: i for i, level in enumerate(EDUCATION_ORDER)}
# School diplomas (havo, vwo) have subjects, not a field of study.
_LEVELS_WITH_FIELD = frozenset(
    {"mbo2", "mbo3", "mbo4", "ad", "hbo_propedeuse", "hbo_bachelor", "wo_bachelor", "master", "phd"}
)
# ratio for a place name right after "ik woon in" ("Amersfrot"): looser than the general typo cutoff.
_PLACE_TYPO_CUTOFF = 80.0
_PLACE_PREPOSITIONS = frozenset({"in", "bij", "te", "near", "around", "rond", "rondom", "omgeving"})
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
# Time words that make a clause about the present even when it also holds a past verb.
_NOW_WORDS = frozenset({
    "nu", "momenteel", "currently", "tegenwoordig", "nowadays", "op dit moment", "at the moment", "right now",
    "these days", "ben nu", "ik ben nu", "nu werk ik",
})  # fmt: skip
# Slots that describe the person's present situation: never filled from a wish, the past or abroad.
COUNTRIES = "countries"
_NONE_VALUE = {"teaching_qualification": "geen", "foreign_diploma": "nee"}
_PRESENT_FACTS = frozenset({"works_in_education", "enrolled_teacher_education"})
_WISHABLE_FACTS = frozenset({"has_school_board_contact"})
_TEACHER_TRAINING = frozenset({
    "pabo", "lerarenopleiding", "teacher training", "kweekschool", "alo",
})  # fmt: skip


@dataclass
class Extraction:
    """What one message says. ``values`` are validated Profile values (enum values as in the contract)."""

    values: dict[str, Any] = field(default_factory=dict)
    dont_know: bool = False
    evidence: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Match:
    start: int  # token index
    end: int  # exclusive
    hit: Hit
    fuzzy: bool = False


@dataclass(frozen=True)
class _Num:
    value: float
    start: int
    end: int


class _Message:
    """One message read once: tokens, scopes (clauses), phrase matches and cue positions."""

    def __init__(self, text: str, lex: Lexicon, expecting: str | None, *, partial: bool = False):
        # partial: the tail of a message after a correction word; no guessing from leftover words.
        self.partial = partial
        self.text = text
        self.lex = lex
        self.tokens: list[Token] = tokenize(text[:MAX_CHARS], max_tokens=MAX_TOKENS)
        self.words = [t.text for t in self.tokens]
        self.matches = _exact_matches(self.words, lex)
        self.matches += _fuzzy_matches(self.words, self.matches, lex)
        self.cues: dict[str, list[_Match]] = {}
        for m in self.matches:
            if m.hit.vocab == "cues":
                self.cues.setdefault(str(m.hit.value), []).append(m)
        self.scope = self._scopes()
        self.expecting = expecting
        self.foreign_countries = _country_mentions(self)

    def _scopes(self) -> list[int]:
        """Clause number per token: punctuation and joining words such as "en", "maar" start a new one."""
        breaks = {m.start for m in self.cues.get("clause_break", [])}
        scope, out, last_clause = 0, [], None
        for i, tok in enumerate(self.tokens):
            if tok.clause != last_clause or i in breaks:
                scope += 1
                last_clause = tok.clause
            out.append(scope)
        return out

    def span(self, start: int, end: int) -> str:
        """The original text of tokens ``start`` to ``end`` (exclusive)."""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def of(self, vocab: str, *, expected: bool) -> list[_Match]:
        """Non-overlapping matches of one vocabulary, longest first; expected-only words when ``expected``."""
        found = [m for m in self.matches if m.hit.vocab == vocab and (expected or not m.hit.expected_only)]
        found.sort(key=lambda m: (m.fuzzy, -(m.end - m.start), m.start))
        taken: list[_Match] = []
        for m in found:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: m.start)

    def cue_in_scope(
        self,
        name: str,
        at: int,
        *,
        before: int | None = None,
        after: int | None = None,
        outside: _Match | None = None,
    ) -> list[_Match]:
        """Cues ``name`` in the clause of token ``at``; ``before``/``after`` limit the distance in tokens."""
        out = []
        for c in self.cues.get(name, []):
            if c.start >= len(self.scope) or self.scope[c.start] != self.scope[min(at, len(self.scope) - 1)]:
                continue
            if outside is not None and outside.start <= c.start < outside.end:
                continue
            if before is not None or after is not None:
                in_before = before is not None and at - before <= c.start < at
                in_after = after is not None and at <= c.start <= at + after
                if not (in_before or in_after):
                    continue
            out.append(c)
        return out

    def has_cue(self, name: str) -> bool:
        """Whether the message holds cue ``name`` anywhere."""
        return bool(self.cues.get(name))

    def scope_has(self, name: str, at: int, *, outside: _Match | None = None) -> bool:
        """Whether cue ``name`` occurs anywhere in the clause of token ``at``."""
        return bool(self.cue_in_scope(name, at, outside=outside))

    def is_wish(self, m: _Match) -> bool:
        """The clause states a wish or plan about ``m``: a goal cue before it, or right after ("juf worden")."""
        return any(c.start < m.end + 3 for c in self.cue_in_scope("goal", m.start, outside=m))

    def is_past(self, at: int) -> bool:
        """The clause is about the past ("daar was ik leraar", "heb als jurist gewerkt") and not about now."""
        if not self.cue_in_scope("past", at):
            return False
        return not any(
            " ".join(self.words[c.start : c.end]) in _NOW_WORDS for c in self.cue_in_scope("current", at)
        )

    def is_foreign(self, at: int) -> bool:
        """The clause is about another country: a foreign country in it, or "daar"/"in mijn land" after one."""
        if any(self.scope[c.start] == self.scope[at] for c in self.foreign_countries):
            return True
        refs = self.cue_in_scope("foreign_ref", at)
        if not refs:
            return False
        anaphoric = all(self.words[r.start] in ("daar", "there") for r in refs)
        return not anaphoric or any(c.start < at for c in self.foreign_countries)

    def not_current(self, m: _Match) -> bool:
        """``m`` is not a fact about the person's present: a wish, the past, or life in another country."""
        return self.is_wish(m) or self.is_past(m.start) or self.is_foreign(m.start)

    def negated(self, m: _Match) -> bool:
        """A negation word just before the match (same clause) and not part of the matched phrase."""
        return bool(self.cue_in_scope("negation", m.start, before=3, outside=m))

    def not_done(self, m: _Match) -> bool:
        """The diploma is planned or unfinished ("ik wil de pabo doen"), unless "heb"/"mijn" sits between."""
        for cue in self.cue_in_scope("not_done", m.start, before=4, outside=m):
            done = [d for d in self.cue_in_scope("done", m.start, before=4, outside=m) if d.start > cue.start]
            if not done:
                return True
        after = self.cue_in_scope("not_done", m.end, after=2)
        return any(c.start >= m.end and self.words[c.start] in ("afgemaakt", "afgerond") for c in after)


def _country_mentions(msg: _Message) -> list[_Match]:
    """Foreign countries the message names: a name, or an adjective right before a diploma word ("Pools
    diploma", "a Polish degree"). Adjectives elsewhere are languages or people, not a country of study."""
    out = []
    for m in msg.of(COUNTRIES, expected=True):
        if str(m.hit.value) in msg.lex.home_countries:
            continue
        if m.hit.adjective and not any(m.end <= c.start <= m.end + 1 for c in msg.cues.get("diploma_noun", [])):
            continue
        out.append(m)
    return out


def _exact_matches(words: list[str], lex: Lexicon) -> list[_Match]:
    out: list[_Match] = []
    n = len(words)
    for i, word in enumerate(words):
        longest = min(lex.max_phrase_tokens, n - i) if word in lex.multi_starts else 1
        for length in range(longest, 0, -1):
            key = word if length == 1 else " ".join(words[i : i + length])
            for hit in lex.phrases.get(key, ()):
                out.append(_Match(i, i + length, hit))
    return out


def _fuzzy_cutoff(chars: int) -> float:
    # One typo in a short word changes the ratio more than in a long one.
    return 90.0 if chars < 8 else 86.0


def _fuzzy_matches(words: list[str], exact: list[_Match], lex: Lexicon) -> list[_Match]:
    """Typos: n-grams around unknown words compared with known phrases of the same length (one cdist each)."""
    covered = {i for m in exact if lex.kinds.get(m.hit.vocab) != CUE for i in range(m.start, m.end)}
    unknown = [
        i
        for i, w in enumerate(words)
        if i not in covered and len(w) >= MIN_FUZZY_CHARS and w not in lex.known_tokens and not w[0].isdigit()
    ]
    if not unknown:
        return []
    out: list[_Match] = []
    for n, (keys, hits) in lex.fuzzy.items():
        queries: list[tuple[int, str]] = []
        for u in unknown:
            for start in range(max(0, u - n + 1), min(u, len(words) - n) + 1):
                if any(i in covered for i in range(start, start + n)):
                    continue
                queries.append((start, " ".join(words[start : start + n])))
        queries = list(dict.fromkeys(queries))[:MAX_FUZZY_QUERIES]
        if not queries:
            continue
        scores = process.cdist(
            [q for _, q in queries],
            keys,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=80,
            workers=1,
        )
        for row, (start, query) in enumerate(queries):
            col = int(scores[row].argmax())
            if scores[row, col] >= _fuzzy_cutoff(len(query)):
                out.extend(_Match(start, start + n, h, fuzzy=True) for h in hits[col])
    return out


# ------------------------------------------------------------------ numbers


def _numbers(msg: _Message, used: set[int]) -> list[_Num]:
    """Numbers in digits or words ("2,5", "drie", "vijfendertig", "thirty five", "twee en een half")."""
    lex = msg.lex
    words_at = {m.start: m for m in msg.matches if m.hit.vocab == "numbers"}
    nums: list[_Num] = []
    i = 0
    while i < len(msg.words):
        w = msg.words[i]
        if i in used:
            i += 1
            continue
        value: float | None = None
        end = i + 1
        if _NUMBER.match(w):
            value = float(w.replace(",", "."))
        elif i in words_at:
            m = max(
                (x for x in msg.matches if x.start == i and x.hit.vocab == "numbers"), key=lambda x: x.end
            )
            value, end = float(m.hit.value), m.end
            # "een"/"one" is mostly an article: a number only before a unit ("een dag") or on its own.
            if value == 1 and end - i == 1 and len(msg.words) > 1 and not _unit_follows(msg, end):
                value = None
        else:
            value = _compound(w, lex)
        if value is None:
            i += 1
            continue
        # "thirty five", "2 en een half": join a following unit or fraction.
        if end < len(msg.words) and end not in used:
            nxt = max(
                (x for x in msg.matches if x.start == end and x.hit.vocab == "numbers"),
                key=lambda x: x.end,
                default=None,
            )
            if nxt is not None:
                tag = lex.number_tags.get(" ".join(msg.words[nxt.start : nxt.end]))
                if tag == "fraction" and value == int(value):
                    value, end = value + 0.5, nxt.end
                elif (
                    tag == "unit"
                    and value % 10 == 0
                    and 20 <= value <= 90
                    and lex.number_tags.get(w) == "tens"
                ):
                    value, end = value + float(nxt.hit.value), nxt.end
        nums.append(_Num(value, i, end))
        i = end
    return nums


_UNIT_CUES = ("days", "half_days", "hours", "km", "miles", "age_unit", "fte")


def _unit_follows(msg: _Message, at: int) -> bool:
    return any(c.start == at for name in _UNIT_CUES for c in msg.cues.get(name, []))


def _compound(word: str, lex: Lexicon) -> float | None:
    """Dutch compounds "vijfendertig" = 5 + 30, read from the number words of the vocabulary."""
    if "en" not in word[1:]:
        return None
    for cut in range(1, len(word) - 2):
        unit, rest = word[:cut], word[cut:]
        if not rest.startswith("en") or lex.number_tags.get(unit) != "unit":
            continue
        tens = rest[2:]
        if lex.number_tags.get(tens) == "tens":
            u = next(h.value for h in lex.phrases[unit] if h.vocab == "numbers")
            t = next(h.value for h in lex.phrases[tens] if h.vocab == "numbers")
            return float(u) + float(t)
    return None


def _near(msg: _Message, name: str, start: int, end: int, *, before: int = 0, after: int = 0) -> bool:
    for c in msg.cues.get(name, []):
        if end <= c.start <= end + after - 1 or (
            before and start - before <= c.start < start and c.end <= start
        ):
            return True
    return False


def _read_numbers(msg: _Message, used: set[int], found: dict[str, tuple[Any, int, int]]) -> None:
    """Give each number its slot from the words around it; leave unexplained numbers for the asked slot."""
    # "een halve week", "fulltime": read as a whole phrase below, not as the number "half".
    whole = [c for name in ("halve_week", "fulltime") for c in msg.cues.get(name, [])]
    used = used | {i for c in whole for i in range(c.start, c.end)}
    nums = _numbers(msg, used)
    spare: list[_Num] = []
    words = msg.words
    for k, num in enumerate(nums):
        v, s, e = num.value, num.start, num.end
        is_int = v == int(v)
        four_digits = is_int and len(words[s]) == 4 and words[s].isdigit()
        if four_digits:
            postcode = (
                e < len(words) and len(words[e]) == 2 and words[e].isalpha() and words[e] not in ("in", "en")
            )
            if not postcode and _YEAR_RANGE[0] <= v <= _YEAR_RANGE[1]:
                spare.append(num)
            continue  # a year or a postcode is never an age or a number of days
        if _about_current_job(msg, s) and any(
            _near(msg, unit, s, e, after=1) for unit in ("days", "half_days", "hours", "fte", "fulltime")
        ):
            continue  # "ik werk 4 dagen als secretaresse": the present job, not the time for school
        if _near(msg, "days", s, e, after=1):
            # "2 à 3 dagen", "2-3 days": the lower bound, people can promise that.
            low = nums[k - 1].value if k and nums[k - 1].end >= s - 1 and nums[k - 1].value < v else v
            found.setdefault("days_per_week", (low, nums[k - 1].start if low != v else s, e + 1))
        elif _near(msg, "half_days", s, e, after=1):
            found.setdefault("days_per_week", (v / 2, s, e + 1))
        elif _near(msg, "hours", s, e, after=1) and v >= 4:
            found.setdefault("days_per_week", (round(v / 8 * 2) / 2, s, e + 1))
        elif _near(msg, "fte", s, e, after=1) and v <= 1.5:
            found.setdefault("days_per_week", (round(v * 5 * 2) / 2, s, e + 1))
        elif _near(msg, "km", s, e, after=1):
            found.setdefault("max_travel_km", (v, s, e + 1))
        elif _near(msg, "miles", s, e, after=1):
            found.setdefault("max_travel_km", (round(v * 1.609, 1), s, e + 1))
        elif is_int and v % 10 == 0 and _near(msg, "approximate", s, e, before=2) and not _near(
            msg, "age_old", s, e, after=1
        ):
            continue  # "begin dertig", "in de veertig": an age range, not an age
        elif is_int and (_near(msg, "age_old", s, e, after=1) or _near(msg, "age", s, e, before=2)):
            found.setdefault("age", (int(v), s, e))
        elif (
            is_int
            and _near(msg, "age_unit", s, e, after=1)
            and 16 <= v <= 80
            and not (msg.cue_in_scope("age_block", s, before=3, after=3))
        ):
            found.setdefault("age", (int(v), s, e + 1))
        else:
            spare.append(num)
    _place_spare_numbers(msg, spare, found)


def _place_spare_numbers(msg: _Message, spare: list[_Num], found: dict[str, tuple[Any, int, int]]) -> None:
    years = [n for n in spare if len(msg.words[n.start]) == 4 and msg.words[n.start].isdigit()]
    for y in years:
        qualified = "teaching_qualification" in found or msg.cue_in_scope(
            "qualification", y.start, before=6, after=6
        )
        if msg.expecting == "qualification_year" or qualified:
            found.setdefault("qualification_year", (int(y.value), y.start, y.end))
            break
    expecting = msg.expecting
    if expecting in NUMBER_SLOTS and expecting not in found:
        rest = [n for n in spare if n not in years] if expecting != "qualification_year" else years
        if expecting == "age":
            rest = rest or years  # "1988" when the age is asked: rejected with a reason, not ignored
        if rest:
            n = rest[0]
            value: Any = (
                int(n.value)
                if expecting in ("age", "qualification_year") and n.value == int(n.value)
                else n.value
            )
            found[expecting] = (value, n.start, n.end)
    if "days_per_week" not in found:
        # "fulltime", "een halve week": a whole or half week, unless it describes the present job.
        for name, days in (("fulltime", 5), ("halve_week", 2.5)):
            for c in msg.cues.get(name, []):
                if expecting == "days_per_week" or not _about_current_job(msg, c.start):
                    found["days_per_week"] = (days, c.start, c.end)
                    return


def _about_current_job(msg: _Message, at: int) -> bool:
    """The clause describes the job the person has now ("ik werk fulltime als ...") rather than the
    time they have for school: a present-job cue, no wish and no "kan"/"beschikbaar"."""
    if msg.expecting == "days_per_week":
        return False
    if not (msg.cue_in_scope("current", at) or msg.cue_in_scope("as_role", at)):
        return False
    return not msg.cue_in_scope("goal", at) and not msg.cue_in_scope("available", at)


# ------------------------------------------------------------------ slots


def _unfinished(msg: _Message, m: _Match) -> bool:
    """A diploma that is planned, being studied or given up: "ik wil de pabo doen", "zit op de pabo",
    "pabo, daarna gestopt"."""
    if msg.not_done(m) or msg.is_wish(m):
        return True
    if any(c.start < m.start for c in msg.cue_in_scope("studying_now", m.start, outside=m)):
        return True
    scope = msg.scope[m.start]
    return any(
        c.start >= m.end and msg.scope[c.start] in (scope, scope + 1) for c in msg.cues.get("stopped", [])
    )


def _covered_by(msg: _Message, m: _Match, cue: str) -> bool:
    return any(c.start <= m.start and m.end <= c.end for c in msg.cues.get(cue, []))


def _choose_level(msg: _Message, expected: bool) -> tuple[_Match, str] | None:
    """The highest completed level, read with its context: "bachelor" is wo at a university, hbo at a
    hogeschool or abroad; "universiteit" alone is a master unless a bachelor is named."""
    cands = []
    for m in msg.of("education_level", expected=expected):
        if msg.negated(m):
            continue
        if _unfinished(msg, m) and m.hit.value != "hbo_propedeuse":
            continue
        cands.append(m)
    bachelors = [c for c in msg.cues.get("bachelor", []) if not _unfinished(msg, _Match(c.start, c.end, c.hit))]
    hbo = msg.cues.get("hbo_context", [])
    wo = [c for c in msg.cues.get("wo_context", []) if not any(h.start <= c.start < h.end for h in hbo)]
    if cands:
        real = [m for m in cands if m.hit.value != "geen"] or cands
        best = max(real, key=lambda m: _LEVEL_RANK.get(str(m.hit.value), -1))
        value = str(best.hit.value)
        explicit_master = any(
            m.hit.value == "master" and not _covered_by(msg, m, "wo_context") and not _covered_by(msg, m, "hbo_context")
            for m in real
        )
        if explicit_master:
            pass
        elif value == "master" and bachelors and _covered_by(msg, best, "wo_context"):
            value = "wo_bachelor"  # "bachelor ... aan de universiteit": the university says wo, not master
        elif value == "master" and bachelors and _covered_by(msg, best, "hbo_context"):
            value = "hbo_bachelor"
        return best, value
    if not bachelors:
        return None
    b = bachelors[0]
    anchor = _Match(b.start, b.end, b.hit)
    if wo:
        return anchor, "wo_bachelor"
    if hbo or msg.foreign_countries or msg.has_cue("foreign_ref"):
        return anchor, "hbo_bachelor"  # a foreign bachelor without "university" is valued as hbo
    return None


def _nearest_to_goal(msg: _Message, cands: list[_Match]) -> _Match | None:
    best, best_dist = None, None
    for m in cands:
        goals = msg.cue_in_scope("goal", m.start, before=8, after=4)
        if not goals:
            continue
        dist = min(abs(g.start - m.start) for g in goals)
        if best_dist is None or dist < best_dist or (dist == best_dist and m.start > best.start):
            best, best_dist = m, dist
    return best


def _enum_and_free(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    exp = msg.expecting

    def put(slot: str, m: _Match | None, value: Any = None) -> None:
        if m is not None and slot not in found:
            found[slot] = (m.hit.value if value is None else value, m.start, m.end)

    level_choice = _choose_level(msg, exp == "education_level")
    if level_choice is not None:
        put("education_level", level_choice[0], level_choice[1])

    # A Dutch bevoegdheid: finished, not planned, and not a qualification from another country.
    quals = [
        m
        for m in msg.of("teaching_qualification", expected=exp == "teaching_qualification")
        if not msg.negated(m) and not _unfinished(msg, m) and not msg.is_foreign(m.start)
    ]
    put(
        "teaching_qualification",
        next((m for m in quals if m.hit.value != "geen"), quals[0] if quals else None),
    )

    fields = msg.of("education_field", expected=exp == "education_field")
    if exp != "education_field":
        fields = [m for m in fields if not msg.is_wish(m)]  # "ik wil biologie geven" is not a degree
    level = found.get("education_level", (None,))[0]
    if fields and (
        exp == "education_field"
        or level in _LEVELS_WITH_FIELD
        or any(msg.cue_in_scope("diploma", m.start, before=6, after=4) for m in fields)
    ):
        put("education_field", fields[0])

    _goal(msg, found)
    _current_role(msg, found)

    exams = [m for m in msg.of("exam_subjects", expected=True) if not msg.negated(m)]
    level = found.get("education_level", (None,))[0]
    # Short names ("ak", "bio") are only subjects when the message is about a school diploma.
    if level not in ("havo", "vwo") and exp != "exam_subjects" and not msg.has_cue("exam"):
        exams = [m for m in exams if not m.hit.expected_only]
    if exams and (exp == "exam_subjects" or msg.has_cue("exam") or level in ("havo", "vwo")):
        values = list(dict.fromkeys(m.hit.value for m in exams))
        found["exam_subjects"] = (values, exams[0].start, exams[-1].end)
    elif exp == "exam_subjects" and msg.cues.get("none_of_these"):
        c = msg.cues["none_of_these"][0]
        found["exam_subjects"] = ([], c.start, c.end)

    _foreign(msg, found)
    put("dutch_level", next(iter(msg.of("dutch_level", expected=exp == "dutch_level")), None))
    _vog(msg, found)


def _goal(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The wished role, subject and sector: words in a clause with a wish ("ik wil", "I'd love to")."""
    exp = msg.expecting

    def put(slot: str, m: _Match | None, value: Any = None) -> None:
        if m is not None and slot not in found:
            found[slot] = (m.hit.value if value is None else value, m.start, m.end)

    roles = [
        m for m in msg.of("goal_role", expected=exp == "goal_role") if not msg.negated(m) and not _done_as(msg, m)
    ]
    chosen = _nearest_to_goal(msg, roles) or (roles[0] if roles and exp == "goal_role" else None)
    if chosen is not None and chosen.hit.value == "groepsleerkracht":
        # "music teacher at a primary school": the subject teacher is the more specific reading.
        specific = [
            m
            for m in msg.matches
            if m.hit.vocab == "goal_role" and m.hit.value == "vakleerkracht" and not m.hit.expected_only
            and m.start < chosen.end and chosen.start < m.end
        ]
        if specific:
            chosen = specific[0]
    put("goal_role", chosen)

    sectors = [m for m in msg.of("target_sector", expected=exp == "target_sector") if not msg.negated(m)]
    if exp == "target_sector":
        put("target_sector", sectors[0] if sectors else None)
    else:
        sector = _nearest_to_goal(msg, sectors) or (sectors[0] if sectors and "goal_role" in found else None)
        put("target_sector", sector if sector is None or not msg.is_foreign(sector.start) else None)

    # "docent wiskunde worden op de middelbare school", "les geven in het mbo": teaching in vo or mbo.
    sector_value = found.get("target_sector", (None,))[0]
    role = found.get("goal_role", (None,))[0]
    if role in (None, "groepsleerkracht") and sector_value in ("vo", "mbo") and exp != "goal_role":
        s = found["target_sector"]
        teach = [c for c in msg.cue_in_scope("teach", s[1]) if msg.is_wish(_Match(c.start, c.end, c.hit))]
        if teach:
            found["goal_role"] = ("docent_vo" if sector_value == "vo" else "docent_mbo", teach[0].start, teach[0].end)
            role = found["goal_role"][0]

    subjects = [
        m
        for m in msg.of("goal_subject", expected=exp == "goal_subject")
        if not msg.negated(m) and not msg.is_foreign(m.start) and not msg.is_past(m.start)
    ]
    if exp != "goal_subject":
        # A subject is a wish only where teaching is talked about ("Engels geven", "docent wiskunde").
        subjects = [
            m for m in subjects
            if msg.scope_has("teach", m.start, outside=m) or role in ("vakleerkracht", "docent_vo", "docent_mbo")
        ]
    if exp == "goal_subject" or role in ("vakleerkracht", "docent_vo", "docent_mbo"):
        put("goal_subject", _nearest_to_goal(msg, subjects) or (subjects[0] if subjects else None))
    else:
        put("goal_subject", _nearest_to_goal(msg, subjects))


def _done_as(msg: _Message, m: _Match) -> bool:
    """A role word that names the person's present or past job, not a wish ("ik ben leerkracht")."""
    return not msg.is_wish(m) and (msg.is_past(m.start) or msg.is_foreign(m.start))


def _foreign(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Where the diploma comes from, and whether it is a teaching qualification from abroad.

    A country is an origin ("ik kom uit Syrië") unless the message ties it to studies or a diploma: in
    the same clause ("in Polen gestudeerd"), as an adjective ("een Pools diploma"), or by "daar"/"there"
    in a later clause ("ik kom uit Eritrea en heb daar de lerarenopleiding gedaan").
    """
    exp = msg.expecting
    for m in msg.of("foreign_diploma", expected=True):
        near_diploma = msg.cue_in_scope("diploma", m.start, before=8, after=8)
        if not m.hit.expected_only or exp == "foreign_diploma" or near_diploma:
            found.setdefault("foreign_diploma", (m.hit.value, m.start, m.end))
            break
    countries = msg.foreign_countries
    if not countries:
        return
    studies = msg.cues.get("diploma", []) + msg.cues.get("diploma_noun", [])
    dutch_study = any(
        str(m.hit.value) in msg.lex.home_countries
        and any(msg.scope[d.start] == msg.scope[m.start] for d in studies)
        for m in msg.of(COUNTRIES, expected=True)
    )
    tied = None
    for c in countries:
        same_clause = any(msg.scope[d.start] == msg.scope[c.start] and d.start != c.start for d in studies)
        there = any(
            r.start > c.start and any(msg.scope[d.start] == msg.scope[r.start] for d in studies)
            for r in msg.cues.get("foreign_ref", [])
        )
        if exp == "foreign_diploma" or c.hit.adjective or same_clause or there:
            tied = c
            break
    # "I'm from Italy, studied architecture in Milan": one foreign country and studies, none in NL.
    one_country = len({str(c.hit.value) for c in countries}) == 1
    if tied is None and not dutch_study and one_country:
        studied_after = any(d.start > countries[0].start for d in msg.cues.get("studied", []))
        tied = countries[0] if studied_after else None
    if tied is not None and "foreign_diploma" not in found:
        eu = msg.lex.country_eu.get(str(tied.hit.value), False)
        found["foreign_diploma"] = ("eu" if eu else "buiten_eu", tied.start, tied.end)
    for t in msg.cues.get("teacher_word", []):
        tm = _Match(t.start, t.end, t.hit)
        if msg.is_foreign(t.start) and not msg.is_wish(tm) and not msg.negated(tm):
            found.setdefault("foreign_teaching_qualification", (True, t.start, t.end))
            break


def _vog(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Can the person get a VOG? Read from problem words and their negation ("geen VOG problemen",
    "een strafblad", "dat wordt lastig", "dat lukt wel"); in a free sentence only next to a VOG word."""
    exp = msg.expecting
    if "vog_ok" in found:
        return
    vocab = msg.of("vog_ok", expected=exp == "vog_ok")
    unsure = [m for m in vocab if m.hit.value == "weet_niet"]
    if unsure and (exp == "vog_ok" or msg.scope_has("vog_topic", unsure[0].start)):
        found["vog_ok"] = ("weet_niet", unsure[0].start, unsure[0].end)
        return
    if exp == "vog_ok" and _is_dont_know(msg):
        return

    def relevant(at: int) -> bool:
        return exp == "vog_ok" or msg.scope_has("vog_topic", at)

    for name, good_when_negated in (("problem", True), ("success", False)):
        for c in msg.cues.get(name, []):
            if not relevant(c.start):
                continue
            at = _Match(c.start, c.end, c.hit)
            # "geen strafblad", "mijn strafblad is blanco": a negation or a clean-record word.
            negated = bool(msg.cue_in_scope("negation", c.start, outside=at)) or (
                good_when_negated and bool(msg.cue_in_scope("clean", c.start, outside=at))
            )
            ok = negated if good_when_negated else not negated
            found["vog_ok"] = ("ja" if ok else "nee", c.start, c.end)
            return
    for m in vocab:
        if relevant(m.start):
            found["vog_ok"] = (m.hit.value, m.start, m.end)
            return


def _current_role(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The present job: a job word after "ik ben", "ik werk als", "currently" in a clause about now
    (not a wish, not the past, not a job abroad); else the words after "werk als"."""
    exp = msg.expecting
    roles = [m for m in msg.of("current_role", expected=exp == "current_role") if not msg.negated(m)]
    if exp == "current_role":
        if roles:
            m = roles[0]
            found["current_role"] = (m.hit.value, m.start, m.end)
        return
    for m in roles:
        if msg.not_current(m):
            continue
        if msg.cue_in_scope("current", m.start, before=6, after=0):
            found.setdefault("current_role", (m.hit.value, m.start, m.end))
            return
    for cue in msg.cues.get("as_role", []):
        end = cue.end
        if msg.not_current(_Match(cue.start, cue.end, cue.hit)):
            continue
        stop = end
        while stop < len(msg.words) and msg.scope[stop] == msg.scope[cue.start] and stop - end < 5:
            stop += 1
        if stop > end:
            found.setdefault("current_role", (_clean_phrase(msg.span(end, stop)), end, stop))
            return


def _enrolled(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Enrolled in a lerarenopleiding now: a teacher-training word in a clause about studying now
    ("zit in het laatste jaar van de lerarenopleiding", "doe nu de pabo"), not a plan."""
    if "enrolled_teacher_education" in found:
        return
    for t in msg.cues.get("teacher_word", []):
        word = " ".join(msg.words[t.start : t.end])
        if word not in _TEACHER_TRAINING:
            continue
        m = _Match(t.start, t.end, t.hit)
        if msg.is_wish(m) or msg.is_foreign(t.start) or msg.negated(m):
            continue
        if msg.cue_in_scope("studying_now", t.start, before=8, after=4, outside=m):
            found["enrolled_teacher_education"] = (True, t.start, t.end)
            return


def _works_in_education(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Work in education now? From a clause about the present job: a school or class there says yes,
    a job the vocabulary marks as outside education or an employer such as a bank says no."""
    if "works_in_education" in found:
        return
    work_cues = msg.cues.get("current", []) + msg.cues.get("as_role", [])
    for cue in sorted(work_cues, key=lambda c: c.start):
        m = _Match(cue.start, cue.end, cue.hit)
        if msg.not_current(m):
            continue
        scope = msg.scope[cue.start]
        later = [x for x in msg.matches if x.start >= cue.start and msg.scope[x.start] == scope]
        if any(x.hit.vocab == "target_sector" and not x.hit.expected_only for x in later) or any(
            x.hit.vocab == "cues" and x.hit.value == "edu_setting" for x in later
        ):
            found["works_in_education"] = (True, cue.start, cue.end)
            return
        for r in later:
            if r.hit.vocab == "current_role" and str(r.hit.value) in msg.lex.in_education and not msg.negated(r):
                found["works_in_education"] = (msg.lex.in_education[str(r.hit.value)], r.start, r.end)
                return
        if any(x.hit.vocab == "cues" and x.hit.value == "other_employer" for x in later):
            found["works_in_education"] = (False, cue.start, cue.end)
            return


def _booleans(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Yes/no facts stated in a clause ("ik werk niet in het onderwijs"); negation words flip them."""
    words = msg.words
    for slot, pattern in msg.lex.facts:
        if slot in found or not pattern:
            continue
        for i in range(len(words)):
            end = _pattern_at(words, msg.scope, i, pattern)
            if end is None:
                continue
            at = _Match(i, end, Hit("boolean_facts", slot, False))
            if slot in _PRESENT_FACTS and msg.not_current(at):
                continue  # "ik wil op een school werken", "daar werkte ik op een school"
            if slot in _WISHABLE_FACTS and msg.is_wish(at):
                continue
            flips = [
                c
                for c in msg.cues.get("negation", [])
                if msg.scope[c.start] == msg.scope[i] and i - 3 <= c.start < end
            ]
            # "hoef niet", "hoeft geen": one negation said twice, not a double negative.
            doubled = sum(
                1
                for a, b in zip(flips, flips[1:], strict=False)
                if words[a.start] in ("hoef", "hoeft") and b.start == a.end
            )
            found[slot] = ((len(flips) - doubled) % 2 == 0, i, end)
            break


def _word_fits(pattern_word: str, word: str) -> bool:
    return word == pattern_word or (len(pattern_word) >= 4 and word.startswith(pattern_word))


def _pattern_at(words: list[str], scope: list[int], i: int, pattern: tuple[str, ...]) -> int | None:
    """End index when ``pattern`` occurs in order from ``i`` within one clause (small gaps allowed)."""
    if not _word_fits(pattern[0], words[i]):
        return None
    j, limit = i + 1, i + len(pattern) + 5
    for p in pattern[1:]:
        while j < len(words) and j < limit and scope[j] == scope[i] and not _word_fits(p, words[j]):
            j += 1
        if j >= len(words) or j >= limit or scope[j] != scope[i]:
            return None
        j += 1
    return j


def _place(msg: _Message, found: dict[str, tuple[Any, int, int]], expecting_kind: str | None) -> None:
    """Where the person lives: a place of the region after "ik woon in", "I live in", "kom uit", or as the
    answer to the place question. A school, employer or university "in Utrecht" is not a home, and a
    country is an origin ("ik kom uit Syrië"), never a home town unless the person says they live there."""
    expected = msg.expecting == "place" or expecting_kind == "place"
    for m in msg.of(PLACE, expected=True):
        home = msg.cue_in_scope("home", m.start, before=5)
        if not expected and not home and _place_is_other(msg, m):
            continue
        # "in Zeist" counts when written as a name; "houten" (wooden) in lower case does not.
        capitalised = msg.text[msg.tokens[m.start].start :][:1].isupper()
        after_preposition = m.start > 0 and msg.words[m.start - 1] in _PLACE_PREPOSITIONS and capitalised
        if expected or home or after_preposition or msg.cue_in_scope("place", m.start, before=4):
            ref = m.hit.value
            found["place"] = (ref.municipality if ref.in_region else ref.name, m.start, m.end)
            return
    for cue in msg.cues.get("home", []):
        start = cue.end
        while start < len(msg.words) and msg.words[start] in ("in", "te", "bij", "the", "de", "het", "near"):
            start += 1
        if start >= len(msg.words) or msg.scope[start] != msg.scope[cue.start]:
            continue
        # A typo in a known name after "ik woon in": a looser match than elsewhere, the context is clear.
        guess = _place_by_typo(msg, start)
        if guess is not None:
            found["place"] = guess
            return
        # An unknown name (or a city abroad) after "ik woon in" / "I live in" keeps its own spelling.
        stop = start
        while (
            stop < len(msg.tokens)
            and stop - start < 3
            and msg.text[msg.tokens[stop].start :][:1].isupper()
            and msg.scope[stop] == msg.scope[cue.start]
        ):
            stop += 1
        if stop > start:
            found["place"] = (msg.span(start, stop), start, stop)
            return
    short_name = 0 < len(msg.words) <= 4 and all(w.isalpha() for w in msg.words)
    if expected and short_name and not found and not msg.partial:
        guess = _place_by_typo(msg, 0)
        if guess is not None:
            found["place"] = guess
            return
        if not msg.matches or all(msg.lex.kinds.get(m.hit.vocab) == CUE for m in msg.matches):
            found["place"] = (_clean_phrase(msg.text).title(), 0, len(msg.words))


def _place_is_other(msg: _Message, m: _Match) -> bool:
    """The place belongs to something else in the clause: a school, an employer, a university, studies."""
    return bool(msg.cue_in_scope("place_block", m.start, before=6)) or msg.is_foreign(m.start)


def _place_by_typo(msg: _Message, start: int) -> tuple[Any, int, int] | None:
    for n in (2, 1):
        if start + n > len(msg.words) or msg.scope[start + n - 1] != msg.scope[start]:
            continue
        query = " ".join(msg.words[start : start + n])
        if len(query) < MIN_FUZZY_CHARS or not query.replace(" ", "").isalpha():
            continue
        best = process.extractOne(query, msg.lex.place_keys, scorer=fuzz.ratio, score_cutoff=_PLACE_TYPO_CUTOFF)
        if best is not None:
            ref = msg.lex.places[best[0]]
            return (ref.municipality if ref.in_region else ref.name, start, start + n)
    return None


_LEAD = re.compile(
    r"^(?:(?:ik|i)\s+(?:ben|heb|werk|doe|am|have|work|do|studeerde|studied|deed|wil|want)\s+"
    r"(?:als|as|een|a|an|de|het|the|in|aan)?\s*|een\s+|de\s+|het\s+|a\s+|an\s+|the\s+|als\s+|as\s+)+",
    re.IGNORECASE,
)


def _clean_phrase(text: str) -> str:
    """A short free-text answer: first clause, without "ik ben een", at most a few words."""
    first = re.split(r"[.;!?\n,]", text.strip(), maxsplit=1)[0]
    first = _LEAD.sub("", " ".join(first.split()))
    words = first.split()[:MAX_FREE_WORDS]
    return " ".join(words)[:80].strip(" -:")


def _leading_yes_no(msg: _Message) -> tuple[bool, int, int] | None:
    for m in sorted(msg.of("yes_no", expected=True), key=lambda m: m.start):
        before = msg.words[: m.start]
        if all(w in msg.lex.fillers for w in before) and m.start <= 2:
            return bool(m.hit.value), m.start, m.end
        break
    return None


def _expected_answer(
    msg: _Message, found: dict[str, tuple[Any, int, int]], expecting_kind: str | None
) -> None:
    """A short yes/no answers the asked boolean slot; free text answers the asked free-text slot."""
    slot = msg.expecting
    if slot is None or slot in found:
        return
    if slot in BOOLEAN_SLOTS or slot == "consent" or expecting_kind in ("yes_no", "consent"):
        yn = _leading_yes_no(msg)
        if yn is not None:
            found[slot] = yn
        return
    if slot == "vog_ok":
        yn = _leading_yes_no(msg)
        if yn is not None:
            found[slot] = ("ja" if yn[0] else "nee", yn[1], yn[2])
        return
    if slot in _NONE_VALUE:
        # "Heb je een bevoegdheid?" - "nee, ik heb er geen": a plain no chooses the slot's "none" value.
        yn = _leading_yes_no(msg)
        if yn is not None and not yn[0]:
            found[slot] = (_NONE_VALUE[slot], yn[1], yn[2])


def _free_fallback(msg: _Message, found: dict[str, tuple[Any, int, int]], dont_know: bool) -> None:
    slot = msg.expecting
    if slot not in FREE_SLOTS or slot in found or dont_know or not msg.words:
        return
    if _leading_yes_no(msg) is not None and len(msg.words) <= 2:
        return
    phrase = _clean_phrase(msg.text[:MAX_CHARS])
    if phrase and any(ch.isalpha() for ch in phrase):
        found[slot] = (phrase, 0, len(msg.words))


def _is_dont_know(msg: _Message) -> bool:
    marks = msg.of("dont_know", expected=True)
    return bool(marks) and marks[0].start <= 3


def extract(
    text: str,
    *,
    lexicon: Lexicon,
    expecting: str | None = None,
    expecting_kind: str | None = None,
    language: str = "nl",
) -> Extraction:
    """Read one message: every slot it states, validated; ``dont_know`` when it says "weet ik niet".

    ``expecting`` is the slot the bot just asked for: it lets a bare "3", "ja" or "1998" answer that
    slot and allows short words ("ak", "oa") that would be ambiguous elsewhere. Facts for other slots
    in the same message are still read. ``language`` is the chat language; both languages are read.
    """
    result = Extraction()
    if not isinstance(text, str) or not text.strip():
        return result
    msg = _Message(text, lexicon, expecting)
    if not msg.tokens:
        return result
    found, dont_know = _read(msg, expecting_kind)
    _apply_correction(msg, found)
    result.dont_know = dont_know
    for slot, (value, start, end) in found.items():
        try:
            result.values[slot] = validate_slot(slot, value)
        except ValueError as exc:
            result.rejected[slot] = f"{value!r}: {exc}"
        result.evidence[slot] = msg.span(start, max(end, start + 1))
    return result


def _apply_correction(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """"havo, nee vwo bedoel ik", "ik ben 36, eh 37": what follows a correction word right after a
    value replaces that value. The rest is read as an answer to the corrected slot, so a bare "37"
    is an age again; slots it does not mention keep what the whole message said."""
    for c in msg.cues.get("correction", []):
        if c.start == 0 or c.end >= len(msg.words):
            continue
        before = [(e, slot) for slot, (_, s, e) in found.items() if c.start - 3 <= e <= c.start and s < c.start]
        if not before:
            continue
        corrected = max(before)[1]
        rest = _Message(msg.text[msg.tokens[c.end].start :], msg.lex, corrected, partial=True)
        if not rest.tokens:
            continue
        again, _ = _read(rest, None)
        for slot, (value, s, e) in again.items():
            found[slot] = (value, min(s + c.end, len(msg.words) - 1), min(e + c.end, len(msg.words)))
        return


def _read(msg: _Message, expecting_kind: str | None) -> tuple[dict[str, tuple[Any, int, int]], bool]:
    """Every slot the message states, as (value, first token, end token); and whether it says "weet ik niet"."""
    expecting = msg.expecting
    found: dict[str, tuple[Any, int, int]] = {}
    _enum_and_free(msg, found)
    _booleans(msg, found)
    _enrolled(msg, found)
    _works_in_education(msg, found)
    _place(msg, found, expecting_kind)
    # Digits inside a recognised phrase ("mbo 4", "b2", "cluster 4") are not numbers of their own.
    used = {i for slot, (_, s, e) in found.items() if slot in SLOT_VOCAB for i in range(s, e)}
    used |= {
        i
        for m in msg.matches
        if m.end - m.start > 1
        and not m.hit.expected_only
        and msg.lex.kinds.get(m.hit.vocab) in ("enum", "free")
        for i in range(m.start, m.end)
    }
    _read_numbers(msg, used, found)
    _expected_answer(msg, found, expecting_kind)
    dont_know = expecting is not None and expecting not in found and _is_dont_know(msg) and not msg.partial
    if dont_know and expecting in ("goal_role", "target_sector", "vog_ok"):
        mark = msg.of("dont_know", expected=True)[0]
        found[expecting] = ("weet_niet", mark.start, mark.end)
    if not msg.partial:
        _free_fallback(msg, found, dont_know)
    return found, dont_know


# ------------------------------------------------------------------ intents


def detect_intent(text: str, lexicon: Lexicon) -> str | None:
    """Return "stop", "erase", "handoff", "restart", "edit", "language_en", "language_nl", "help" or None.

    Only a message that is (almost) nothing but the command counts, so "ik stop met mijn baan" is
    an answer, not "stop". A correction ("nee, ik bedoelde hbo") may carry more text after it.
    """
    if not isinstance(text, str):
        return None
    tokens = tokenize(text[:600], max_tokens=MAX_INTENT_TOKENS + 1)
    words = [t.text for t in tokens]
    if not words or len(words) > MAX_INTENT_TOKENS:
        return _edit_prefix(words, lexicon)
    fillers = lexicon.fillers
    n = len(words)
    for length in range(n, 0, -1):
        for i in range(0, n - length + 1):
            key = " ".join(words[i : i + length])
            intent = lexicon.intents.get(key)
            if intent is None:
                continue
            rest = words[:i] + words[i + length :]
            if all(w in fillers for w in rest):
                return intent
    edit = _edit_prefix(words, lexicon)
    if edit:
        return edit
    core = " ".join(w for w in words if w not in fillers)
    if 4 <= len(core) <= 40 and len(core.split()) <= 6:
        best = process.extractOne(
            core, list(lexicon.intents), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=88
        )
        if best is not None:
            return lexicon.intents[best[0]]
    return None


def _edit_prefix(words: list[str], lexicon: Lexicon) -> str | None:
    """A correction: an edit phrase at the start (after "nee", "sorry"), or anywhere next to a slot name."""
    for start in range(min(3, len(words))):
        if any(w not in lexicon.fillers for w in words[:start]):
            break
        for length in range(min(5, len(words) - start), 0, -1):
            key = " ".join(words[start : start + length])
            if key in lexicon.prefix_intents:
                return "edit"
    if len(words) <= MAX_INTENT_TOKENS:
        has_edit = any(
            " ".join(words[i : i + k]) in lexicon.prefix_intents for i in range(len(words)) for k in (1, 2, 3)
        )
        names_slot = any(h.vocab == "slot_phrases" for m in _exact_matches(words, lexicon) for h in [m.hit])
        if has_edit and names_slot:
            return "edit"
    return None


def extract_edit_target(text: str, lexicon: Lexicon) -> str | None:
    """Return the slot a correction is about ("nee, ik bedoelde hbo" -> "education_level"), or None."""
    if not isinstance(text, str):
        return None
    tokens = tokenize(text[:MAX_CHARS], max_tokens=MAX_TOKENS)
    words = [t.text for t in tokens]
    matches = _exact_matches(words, lexicon)
    named = [m for m in matches if m.hit.vocab == "slot_phrases"]
    # The remainder after the edit phrase says what the new value is.
    cut = 0
    for i in range(min(4, len(words))):
        for length in range(min(5, len(words) - i), 0, -1):
            if " ".join(words[i : i + length]) in lexicon.prefix_intents:
                cut = max(cut, tokens[i + length - 1].end)
    rest = text[cut:] if cut else text
    found = extract(rest, lexicon=lexicon)
    if found.values or found.rejected:
        positions = {slot: rest.find(span) for slot, span in found.evidence.items()}
        slot = min(positions, key=lambda s: positions[s] if positions[s] >= 0 else 10**9)
        if not named or slot == str(named[0].hit.value):
            return slot
    if named:
        return str(max(named, key=lambda m: m.end - m.start).hit.value)
    return None
