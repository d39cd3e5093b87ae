"""Education: the highest finished level, a Dutch teaching qualification, the field of study, exam
subjects, a diploma or teaching qualification from abroad, the level of Dutch, and being enrolled in
a teacher training now."""

from __future__ import annotations

from typing import Any

from bot.understand.message import COUNTRIES, _Match, _Message
from matching.profile import EDUCATION_ORDER

_LEVEL_RANK = {level.value: i for i, level in enumerate(EDUCATION_ORDER)}
# School diplomas (havo, vwo) have subjects, not a field of study.
_LEVELS_WITH_FIELD = frozenset(
    {"mbo2", "mbo3", "mbo4", "ad", "hbo_propedeuse", "hbo_bachelor", "wo_bachelor", "master", "phd"}
)
_TEACHER_TRAINING = frozenset({
    "pabo", "lerarenopleiding", "teacher training", "kweekschool", "alo",
})  # fmt: skip


def _unfinished(msg: _Message, m: _Match) -> bool:
    """A diploma that is planned, being studied or given up: "ik wil de pabo doen", "zit op de pabo",
    "pabo, daarna gestopt"."""
    if msg.not_done(m) or msg.is_wish(m):
        return True
    if any(c.start < m.start or c.start <= m.end + 2 for c in msg.cue_in_scope("studying_now", m.start, outside=m)):
        return True  # "zit op de pabo", "pabo nog bezig"
    scope = msg.scope[m.start]
    return any(
        c.start >= m.end and msg.scope[c.start] in (scope, scope + 1) for c in msg.cues.get("stopped", [])
    )


_WORKPLACE_BEFORE = frozenset({
    ("op", "een"), ("op", "het"), ("op", "de"), ("bij", "een"), ("bij", "het"), ("bij", "de"), ("aan", "een"),
    ("aan", "het"), ("at", "a"), ("at", "an"), ("at", "the"), ("in", "een"), ("voor", "een"),
})  # fmt: skip


WISH_SLOTS = frozenset({"goal_role", "goal_subject", "target_sector"})
TEACHER_HEADS = ("docent", "docente", "leraar", "lerares", "juf", "meester", "teacher", "leerkracht")
_SCHOOL_WORDS = frozenset({"school", "scholen", "scholengemeenschap", "afdeling", "locatie"})


def is_workplace(msg: _Message, m: _Match) -> bool:
    """ "ik geef les op een vmbo", "ik werk op het mbo": a school type where the person works now, not the
    person's own diploma. Needs a clause about work or teaching, and no studying ("ik zit op de havo")."""
    after = msg.words[m.end] if m.end < len(msg.words) else ""
    before = tuple(msg.words[m.start - 2 : m.start]) if m.start >= 2 else ()
    chained = m.start >= 3 and tuple(msg.words[m.start - 3 : m.start - 1]) in _WORKPLACE_BEFORE  # "havo/vwo"
    if before not in _WORKPLACE_BEFORE and not chained and after not in _SCHOOL_WORDS:
        return False
    if msg.cue_in_scope("studying_now", m.start, outside=m) or msg.cue_in_scope("diploma", m.start, outside=m):
        return False
    work = msg.cue_in_scope("teach", m.start, outside=m) or msg.cue_in_scope("current", m.start, outside=m)
    scope = msg.scope[m.start]
    compound = any(  # "muziekdocent op een havo/vwo school"
        len(w) > 6 and w.endswith(TEACHER_HEADS) and msg.scope[i] == scope for i, w in enumerate(msg.words)
    )
    return bool(work) or compound or bool(msg.cue_in_scope("as_role", m.start, outside=m))


def _covered_by(msg: _Message, m: _Match, cue: str) -> bool:
    return any(c.start <= m.start and m.end <= c.end for c in msg.cues.get(cue, []))


_BARE_HBO = frozenset({"hbo", "hogeschool", "hbo opleiding"})


def _choose_level(msg: _Message, expected: bool) -> tuple[_Match, str] | None:
    """The highest completed level, read with its context: "bachelor" is wo at a university, hbo at a
    hogeschool or abroad; "universiteit" alone is a master unless a bachelor is named."""
    cands = []
    # The answer to "Wat wil je doen?" names a school type to work in: "مدرس كيمياء بالمدرسة الثانوية" (a
    # chemistry teacher at a secondary school) says nothing about the person's own diploma.
    wished_schools = [
        m for m in msg.matches if m.hit.vocab == "target_sector" and not m.hit.expected_only
    ] if msg.expecting in WISH_SLOTS else []
    for m in msg.of("education_level", expected=expected):
        if msg.negated(m) or is_workplace(msg, m):
            continue
        if any(s.start < m.end and m.start < s.end for s in wished_schools):
            continue
        if m.hit.value not in ("hbo_propedeuse", "geen") and _unfinished(msg, m):
            continue
        cands.append(m)
    bachelors = [c for c in msg.cues.get("bachelor", []) if not _unfinished(msg, _Match(c.start, c.end, c.hit))]
    hbo = msg.cues.get("hbo_context", [])
    wo = [c for c in msg.cues.get("wo_context", []) if not any(h.start <= c.start < h.end for h in hbo)]
    if any(m.hit.value in ("hbo_propedeuse", "ad") for m in cands) and not bachelors:
        # "alleen mijn propedeuse van de hbo", "associate degree, 2 jaar hbo": the bare word "hbo" names the
        # school type, not a bachelor.
        cands = [m for m in cands if not (m.hit.value == "hbo_bachelor" and msg.words[m.start] in _BARE_HBO)]
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
    if expected:
        return anchor, "hbo_bachelor"  # "bachelor" as the answer to the diploma question: most are hbo
    return None


def _put(found: dict[str, tuple[Any, int, int]], slot: str, m: _Match | None, value: Any = None) -> None:
    """Record match ``m`` for ``slot`` unless a reading before it has filled the slot."""
    if m is not None and slot not in found:
        found[slot] = (m.hit.value if value is None else value, m.start, m.end)


def _education_level(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The highest finished level (see ``_choose_level``)."""
    exp = msg.expecting
    level_choice = _choose_level(msg, exp == "education_level")
    if level_choice is not None:
        _put(found, "education_level", level_choice[0], level_choice[1])


def _teaching_qualification(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """A Dutch bevoegdheid: finished, not planned, and not a qualification from another country."""
    exp = msg.expecting
    quals = [
        m
        for m in msg.of("teaching_qualification", expected=exp == "teaching_qualification")
        if not msg.negated(m) and not _unfinished(msg, m) and not msg.is_foreign(m.start) and not _partly(msg, m)
    ]
    _put(
        found,
        "teaching_qualification",
        next((m for m in quals if m.hit.value != "geen"), quals[0] if quals else None),
    )


def _partly(msg: _Message, m: _Match) -> bool:
    """ "mijn propedeuse van de pabo", "1 jaar pabo gedaan": part of a teacher training is no bevoegdheid."""
    scope = msg.scope[m.start]
    for other in msg.of("education_level", expected=True):
        if other.hit.value in ("hbo_propedeuse", "ad") and msg.scope[other.start] == scope:
            return True
    return bool(msg.cue_in_scope("part_of_study", m.start, before=5, after=4, outside=m))


def _education_field(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The field of a degree: only with a level that has one, a diploma word nearby, or when asked."""
    exp = msg.expecting
    fields = msg.of("education_field", expected=exp == "education_field")
    if exp != "education_field":
        fields = [m for m in fields if not msg.is_wish(m)]  # "ik wil biologie geven" is not a degree
    if exp in WISH_SLOTS and found.get("education_level", (None,))[0] not in _LEVELS_WITH_FIELD:
        # The answer to "Wat wil je doen?" is a wish: "docent wiskunde" names a subject, not a degree; a
        # diploma word inside the field itself ("özel eğitim", special education) is no degree either.
        schools = {c.start for c in msg.cues.get("edu_setting", [])}  # "school", "المدرسة", "школа"
        fields = [
            m for m in fields
            if any(
                msg.words[c.start] not in _SCHOOL_WORDS and c.start not in schools
                for c in msg.cue_in_scope("diploma", m.start, before=6, after=4, outside=m)
            )
        ]
    level = found.get("education_level", (None,))[0]
    if fields and (
        exp == "education_field"
        or level in _LEVELS_WITH_FIELD
        or any(msg.cue_in_scope("diploma", m.start, before=6, after=4) for m in fields)
    ):
        _put(found, "education_field", fields[0])


def _exam_subjects(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The exam subjects of a school diploma, or none of them when asked ("geen van deze")."""
    exp = msg.expecting
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


def _dutch_level(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The level of Dutch ("B2", "moedertaal")."""
    exp = msg.expecting
    _put(found, "dutch_level", next(iter(msg.of("dutch_level", expected=exp == "dutch_level")), None))


def _foreign(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Where the diploma comes from, and whether it is a teaching qualification from abroad.

    A country is an origin ("ik kom uit Syrië") unless the message ties it to studies or a diploma: in
    the same clause ("in Polen gestudeerd"), as an adjective ("een Pools diploma"), or by "daar"/"there"
    in a later clause ("ik kom uit Eritrea en heb daar de lerarenopleiding gedaan").
    """
    exp = msg.expecting
    for m in msg.of("foreign_diploma", expected=True):
        if msg.negated(m):
            continue  # "niet in Nederland" says where it is not from
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
