"""The one reading of a message that every fact module shares: tokens, clauses, the vocabulary
matches (exact, and with a typo) and the cue words, with the questions asked of them ("is this a
wish?", "is this about the past or abroad?")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.lexicon import CUE, MIN_FUZZY_CHARS, Hit, Lexicon, Token, tokenize
from bot.understand.forms import turkish_past, word_forms

# Work caps: a 100 kB paste is read only as far as a real answer could reach.
MAX_CHARS = 4000
MAX_TOKENS = 400
MAX_FUZZY_QUERIES = 48

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
# Time words that make a clause about the present even when it also holds a past verb.
_NOW_WORDS = frozenset({
    "nu", "momenteel", "currently", "tegenwoordig", "nowadays", "op dit moment", "at the moment", "right now",
    "these days", "ben nu", "ik ben nu", "nu werk ik",
})  # fmt: skip
COUNTRIES = "countries"


@dataclass
class Extraction:
    """What one message says. ``values`` are validated Profile values (enum values as in the contract)."""

    values: dict[str, Any] = field(default_factory=dict)
    dont_know: bool = False
    evidence: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    # The message corrects itself or an earlier answer ("ik bedoel", "toch", "eigenlijk"): only then may it
    # change, in passing, an answer given before.
    corrects: bool = False
    guessed: set[str] = field(default_factory=set)  # free-text slots that took the whole message as it is


@dataclass(frozen=True)
class _Match:
    start: int  # token index
    end: int  # exclusive
    hit: Hit
    fuzzy: bool = False



class _Message:
    """One message read once: tokens, scopes (clauses), phrase matches and cue positions."""

    def __init__(
        self,
        text: str,
        lex: Lexicon,
        expecting: str | None,
        *,
        partial: bool = False,
        language: str | None = None,
    ):
        # partial: the tail of a message after a correction word; no guessing from leftover words.
        self.partial = partial
        self.text = text
        self.lex = lex
        self.language = language
        self.tokens: list[Token] = tokenize(text[:MAX_CHARS], max_tokens=MAX_TOKENS)
        self.words = [t.text for t in self.tokens]
        # The word as the vocabulary knows it: without the Arabic clitics written onto it ("بمطعم"), the
        # Turkish suffixes ("şirketinde", "müdürü") or the Ukrainian case ending ("ресторані"), where only that
        # form has a meaning of its own. ``words`` keeps what was typed.
        self.forms = word_forms(self.tokens, text, lex, language)
        self.matches = _exact_matches(self.words, lex)
        self.matches += _form_matches(self.words, self.forms, self.matches, lex)
        self.matches += _past_suffixes(self.words, self.forms)
        self.matches += _joined_and(self.words, self.forms, self.matches)
        self.matches += _fuzzy_matches(self.words, self.matches, lex)
        self.cues: dict[str, list[_Match]] = {}
        for m in self.matches:
            if m.hit.vocab == "cues":
                self.cues.setdefault(str(m.hit.value), []).append(m)
        self.scope = self._scopes()
        self.expecting = expecting
        self.foreign_countries = _country_mentions(self)
        self.guessed: set[str] = set()  # set by the reading: slots filled by the free-text fallback

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


def _form_matches(words: list[str], forms: list[str], exact: list[_Match], lex: Lexicon) -> list[_Match]:
    """Phrases found only through a word's known form ("بمطعم" as "مطعم", "müdürü" as "müdür")."""
    changed = {i for i, (w, f) in enumerate(zip(words, forms, strict=True)) if w != f}
    if not changed:
        return []
    have = {(m.start, m.end, m.hit) for m in exact}
    return [
        m
        for m in _exact_matches(forms, lex)
        if any(i in changed for i in range(m.start, m.end)) and (m.start, m.end, m.hit) not in have
    ]


_PAST = Hit("cues", "past", False)


def _past_suffixes(words: list[str], forms: list[str]) -> list[_Match]:
    """A Turkish word that says "was" in its suffix ("öğretmendim", I was a teacher) is a past cue too."""
    return [
        _Match(i, i + 1, _PAST)
        for i, (w, f) in enumerate(zip(words, forms, strict=True))
        if w != f and w.isascii() and turkish_past(w, f)
    ]


_AND = "و"
_BREAK = Hit("cues", "clause_break", False)


def _joined_and(words: list[str], forms: list[str], matches: list[_Match]) -> list[_Match]:
    """Arabic writes "and" onto the next word ("وبدي", and I want): a new clause, as "و" on its own is. Not
    inside a number ("خمسة وثلاثين", five and thirty)."""
    numbers = {m.start for m in matches if m.hit.vocab == "numbers"}
    return [
        _Match(i, i + 1, _BREAK)
        for i, (w, f) in enumerate(zip(words, forms, strict=True))
        if i > 0 and w != f and w.startswith(_AND) and not f.startswith(_AND) and i not in numbers
    ]


def _fuzzy_cutoff(chars: int) -> float:
    # One typo in a short word changes the ratio more than in a long one.
    return 90.0 if chars < 8 else 86.0


_WORD_CUTOFF = 70.0


def _each_word_close(query: str, key: str) -> bool:
    """A typo changes a word, not the phrase: "maand gehaald" is not "ad gehaald" though the whole is close."""
    q, k = query.split(), key.split()
    return len(q) != len(k) or len(q) == 1 or all(fuzz.ratio(a, b) >= _WORD_CUTOFF for a, b in zip(q, k, strict=True))


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
            if scores[row, col] >= _fuzzy_cutoff(len(query)) and _each_word_close(query, keys[col]):
                out.extend(_Match(start, start + n, h, fuzzy=True) for h in hits[col])
    return out
