"""Role and sector: the wished role, subject and sector ("ik wil juf worden in het po"), the present job,
and whether the person works in education now."""

from __future__ import annotations

from typing import Any

from bot.lexicon import Hit
from bot.understand.answers import _clean_phrase
from bot.understand.education import TEACHER_HEADS, WISH_SLOTS, is_workplace
from bot.understand.message import _Match, _Message


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
    first = roles[0] if roles else None
    if (
        exp == "goal_role"
        and first is not None
        and msg.scope[first.start] == msg.scope[0]
        and not msg.is_past(first.start)
        and not msg.cue_in_scope("current", first.start)
    ):
        chosen = first  # the answer itself comes first ("vakleerkracht gym, ik was altijd al de juf die ...")
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
        # The answer to "Wat wil je doen?" is a wish as a whole: its school type is the wished one.
        wished = sectors[0] if sectors and ("goal_role" in found or exp == "goal_role") else None
        sector = _nearest_to_goal(msg, sectors) or wished
        put("target_sector", sector if sector is None or not msg.is_foreign(sector.start) else None)

    # "docent wiskunde worden op de middelbare school", "les geven in het mbo": teaching in vo or mbo.
    sector_value = found.get("target_sector", (None,))[0]
    role = found.get("goal_role", (None,))[0]
    role_at = found.get("goal_role", (None, len(msg.words)))[1]
    if sector_value in ("vo", "mbo") and (
        role in (None, "groepsleerkracht") or (role == "onderwijsassistent" and exp == "goal_role")
    ):
        s = found["target_sector"]
        teach = [
            c for c in msg.cue_in_scope("teach", s[1])
            if (exp == "goal_role" or msg.is_wish(_Match(c.start, c.end, c.hit)))
            and (role != "onderwijsassistent" or c.start < role_at)  # "docent ... bij de opleiding onderwijsassistent"
        ]
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
    sector_now = found.get("target_sector", (None,))[0]
    if exp == "goal_role" and (
        (role in (None, "groepsleerkracht") and sector_now in (None, "po", "so"))
        # "ilkokulda ingilizce öğretmeni": a subject teacher, but in a primary school.
        or (role == "docent_vo" and sector_now in ("po", "so"))
    ):
        # "English teacher in primary schools", "muziekjuf": a subject right next to a teacher word.
        teachers = [
            i for i, w in enumerate(msg.words)
            if w in _TEACHER_WORDS or (len(w) > 6 and w.endswith(TEACHER_HEADS))
        ]
        # "معلم انكليزي", "вчителька англійської", "ingilizce öğretmeni": the teacher words of every language.
        teachers += [i for c in msg.cues.get("teacher_word", []) for i in range(c.start, c.end)]
        beside = [m for m in subjects if any(m.start - 1 <= i <= m.end for i in teachers)]
        if beside:
            found["goal_role"] = ("vakleerkracht", beside[0].start, beside[0].end)
            role = "vakleerkracht"
    if exp == "goal_subject" or role in ("vakleerkracht", "docent_vo", "docent_mbo"):
        put("goal_subject", _nearest_to_goal(msg, subjects) or (subjects[0] if subjects else None))
    else:
        put("goal_subject", _nearest_to_goal(msg, subjects))


def _done_as(msg: _Message, m: _Match) -> bool:
    """A role word that names the person's present or past job, not a wish ("ik ben leerkracht")."""
    return not msg.is_wish(m) and (msg.is_past(m.start) or msg.is_foreign(m.start))


def _current_role(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """The present job: a job word after "ik ben", "ik werk als", "currently" in a clause about now
    (not a wish, not the past, not a job abroad); else the words after "werk als"."""
    exp = msg.expecting
    roles = [m for m in msg.of("current_role", expected=exp == "current_role") if not msg.negated(m)]
    studying = msg.cues.get("studying_now", [])
    if exp == "current_role" and studying and any(
        m.hit.vocab in ("education_level", "target_sector") and m.start > studying[0].start for m in msg.matches
    ):
        found["current_role"] = ("student", studying[0].start, studying[0].end)  # "ik zit op het mbo"
        return
    taught = None if msg.cues.get("outside_school") else _teaching_at(msg)
    # "ik geef nu 3 dagen techniek op een vmbo": a teacher there, not a technician.
    if (
        taught is not None
        and not any(msg.lex.in_education.get(str(m.hit.value)) for m in roles)
        and (exp == "current_role" or msg.cue_in_scope("current", taught[1]))
    ):
        found.setdefault("current_role", taught)
        return
    if exp == "current_role":
        if roles:
            # "ik was leraar, nu werkloos", "Türkiye'de öğretmendim, şimdi çalışmıyorum": the job of now, not
            # the one before or abroad, when the answer names both.
            now = [m for m in roles if not msg.not_current(m)] or roles
            if msg.language == "tr":
                # Turkish names the workplace before the job: "bir inşaat firmasında muhasebeci" (an accountant
                # at a building firm), "fabrikada muhasebeciyim". The last job word is the job, unless a wish
                # follows it ("aşçıyım ama öğretmen olmak istiyorum").
                now = [m for m in now if not msg.cue_in_scope("goal", m.end, after=1)] or now
                m = now[-1]
            else:
                m = now[0]
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
        if msg.cue_in_scope("available", cue.start, before=2) or _time_at(msg, end):
            continue  # "بقدر اشتغل ثلاث ايام" (I can work three days): the time for school, not a job
        stop = end
        while stop < len(msg.words) and msg.scope[stop] == msg.scope[cue.start] and stop - end < 5:
            stop += 1
        if stop > end:
            found.setdefault("current_role", (_clean_phrase(msg.span(end, stop)), end, stop))
            return


def _time_at(msg: _Message, at: int) -> bool:
    """A number or a time word where a job name would begin ("werk 3 dagen", "اشتغل ثلاث ايام")."""
    if at >= len(msg.words):
        return False
    return msg.words[at][:1].isdigit() or any(
        m.start == at and (m.hit.vocab == "numbers" or (m.hit.vocab == "cues" and m.hit.value in _TIME_CUES))
        for m in msg.matches
    )


_TIME_CUES = frozenset({"days", "half_days", "hours", "fulltime", "halve_week", "per_week", "weekday"})
_TEACHER_WORDS = frozenset({"docent", "leraar", "lerares", "juf", "meester", "teacher", "leerkracht", "vakleerkracht"})
_WORK_WORDS = frozenset({"werk", "werkzaam", "work", "working", "employed", "baan", "functie", "job"})
_TAUGHT_AT = {"vo": "docent vo", "mbo": "docent mbo", "po": "leerkracht", "so": "leerkracht"}
_LEVEL_SECTOR = {"vmbo": "vo", "havo": "vo", "vwo": "vo", "mbo2": "mbo", "mbo3": "mbo", "mbo4": "mbo"}


def _teaching_at(msg: _Message) -> tuple[str, int, int] | None:
    """ "ik geef les op een vmbo", "ik sta voor de klas op een basisschool": the teaching job of now."""
    # Compound teacher words count too: "muziekdocent", "gymleraar", "taaljuf".
    heads = [
        _Match(i, i + 1, Hit("cues", "teach", False))
        for i, w in enumerate(msg.words)
        if len(w) > 6 and w.endswith(TEACHER_HEADS)
    ]
    for c in msg.cues.get("teach", []) + heads:
        at = _Match(c.start, c.end, c.hit)
        if msg.not_current(at) or msg.negated(at):
            continue
        scope = msg.scope[c.start]
        for m in msg.matches:
            if msg.scope[m.start] != scope or m.start < c.start:
                continue
            if m.hit.vocab == "target_sector" and str(m.hit.value) in _TAUGHT_AT:
                return _TAUGHT_AT[str(m.hit.value)], c.start, m.end
            if m.hit.vocab == "education_level" and str(m.hit.value) in _LEVEL_SECTOR and is_workplace(msg, m):
                return _TAUGHT_AT[_LEVEL_SECTOR[str(m.hit.value)]], c.start, m.end
    return None


def _left_school(msg: _Message, m: _Match) -> bool:
    """ "net klaar met school", "just finished school", "خلصت المدرسة", "закінчила школу", "okulu bitirdim":
    the person's own schooling, finished or left, not a place of work."""
    return bool(msg.cue_in_scope("left_school", m.start, before=4, after=3, outside=m))


def _works_in_education(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """Work in education now? From a clause about the present job: a school or class there says yes,
    a job the vocabulary marks as outside education or an employer such as a bank says no."""
    if "works_in_education" in found:
        return
    if msg.expecting in WISH_SLOTS and not msg.cues.get("current"):
        return  # the answer to "Wat wil je doen?" is about the future, unless it says "nu", "ik werk"
    outside = msg.cues.get("outside_school", [])
    if outside and (msg.expecting in ("current_role", "works_in_education") or msg.cues.get("current")):
        found["works_in_education"] = (False, outside[0].start, outside[0].end)  # "bijles", "muziekschool"
        return
    role = found.get("current_role")
    if role is not None and msg.expecting == "current_role" and str(role[0]) in msg.lex.in_education:
        # The answer to "Wat voor werk doe je nu?" tells whether it is in education ("leerkracht", "kok").
        found["works_in_education"] = (msg.lex.in_education[str(role[0])], role[1], role[2])
        return
    if msg.expecting == "current_role":
        # A job that exists in and out of schools: the employer tells ("ict'er op een basisschool",
        # "beleidsadviseur bij een ministerie"); without one the question is asked.
        school = [m for m in msg.matches if ((m.hit.vocab == "cues" and m.hit.value == "edu_setting")
                  or (m.hit.vocab == "target_sector" and not m.hit.expected_only)) and not _left_school(msg, m)]
        other = [c for c in msg.cues.get("other_employer", []) if not (role and role[1] <= c.start < role[2])]
        if school and not other:
            found["works_in_education"] = (True, school[0].start, school[0].end)
            return
        if other and not school:
            found["works_in_education"] = (False, other[0].start, other[0].end)
            return
    # Childcare is not a school: "ja, op een peuterspeelzaal", "ik werk in de bso" say no.
    care = [c for c in msg.cues.get("childcare", []) if not msg.negated(_Match(c.start, c.end, c.hit))]
    care = [c for c in care if not msg.not_current(_Match(c.start, c.end, c.hit))]
    if care and (msg.expecting == "works_in_education" or msg.cue_in_scope("current", care[0].start)
                 or msg.cue_in_scope("as_role", care[0].start)):
        found["works_in_education"] = (False, care[0].start, care[0].end)
        return
    # "ik geef nu les op een vmbo", "ik werk op het mbo": a school where the person works now.
    for m in msg.of("education_level", expected=True):
        if is_workplace(msg, m) and not msg.not_current(m):
            found["works_in_education"] = (True, m.start, m.end)
            return
    work_cues = msg.cues.get("current", []) + msg.cues.get("as_role", [])
    for cue in sorted(work_cues, key=lambda c: c.start):
        m = _Match(cue.start, cue.end, cue.hit)
        if msg.not_current(m):
            continue
        scope = msg.scope[cue.start]
        later = [x for x in msg.matches if x.start >= cue.start and msg.scope[x.start] == scope]
        # "ik werk op een school", not "ik ben op mijn 16e van school gegaan": a school says yes only
        # after a word about working (or teaching), not after a bare "ik ben".
        works = cue.hit.vocab == "cues" and (
            str(cue.hit.value) == "as_role" or any(w in _WORK_WORDS for w in msg.words[cue.start : cue.end])
        ) or bool(msg.cue_in_scope("teach", cue.start))
        if works and (any(x.hit.vocab == "target_sector" and not x.hit.expected_only for x in later) or any(
            x.hit.vocab == "cues" and x.hit.value == "edu_setting" for x in later
        )):
            found["works_in_education"] = (True, cue.start, cue.end)
            return
        for r in later:
            if r.hit.vocab == "current_role" and str(r.hit.value) in msg.lex.in_education and not msg.negated(r):
                found["works_in_education"] = (msg.lex.in_education[str(r.hit.value)], r.start, r.end)
                return
        if any(x.hit.vocab == "cues" and x.hit.value == "other_employer" for x in later):
            found["works_in_education"] = (False, cue.start, cue.end)
            return
