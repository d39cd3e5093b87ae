"""Numbers and years: an age, days per week (also from hours, fte, "fulltime"), a qualification year and
a travel distance, each from the words around the number; a bare number answers the asked slot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.lexicon import Lexicon
from bot.understand.message import NUMBER_SLOTS, _Match, _Message

_YEAR_RANGE = (1940, 2100)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class _Num:
    value: float
    start: int
    end: int


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
            unit_first = _unit_and_tens(msg, i, end, value)
            if unit_first is not None:
                value, end = unit_first  # "خمسة وثلاثين": 5 and 30
            # "een"/"one" is mostly an article: a number only before a unit ("een dag") or on its own.
            elif value == 1 and end - i == 1 and len(msg.words) > 1 and not _unit_follows(msg, end):
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
                tag = _tag(msg, nxt.start, nxt.end)
                if tag == "fraction" and value == int(value):
                    value, end = value + 0.5, nxt.end
                elif (
                    tag == "unit"
                    and value % 10 == 0
                    and 20 <= value <= 90
                    and _tag(msg, i, i + 1) == "tens"
                ):
                    value, end = value + float(nxt.hit.value), nxt.end
        nums.append(_Num(value, i, end))
        i = end
    return nums


def _unit_and_tens(msg: _Message, at: int, end: int, value: float) -> tuple[float, int] | None:
    """Arabic says the unit first: "خمسة وثلاثين" (five and thirty) is 35, "خمسة و عشرين كم" 25 km. The unit
    word, "و" (and) written onto the tens or on its own, then a tens word: the sum and where it ends."""
    if end - at != 1 or not 1 <= value <= 9 or _tag(msg, at, end) != "unit":
        return None
    nxt = end
    if nxt < len(msg.words) and msg.words[nxt] == _ARABIC_AND:
        nxt += 1
    elif nxt >= len(msg.words) or not msg.words[nxt].startswith(_ARABIC_AND):
        return None
    tens = max(
        (x for x in msg.matches if x.start == nxt and x.hit.vocab == "numbers"), key=lambda x: x.end, default=None
    )
    if tens is None or _tag(msg, tens.start, tens.end) != "tens":
        return None
    return value + float(tens.hit.value), tens.end


_ARABIC_AND = "و"


def _tag(msg: _Message, start: int, end: int) -> str | None:
    """The number tag ("unit", "tens", "fraction") of tokens ``start`` to ``end``, as typed or as known form."""
    tags = msg.lex.number_tags
    return tags.get(" ".join(msg.words[start:end])) or tags.get(" ".join(msg.forms[start:end]))


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


def _inside(msg: _Message, name: str, start: int, end: int) -> bool:
    """A cue within the number's own words: "ثلاث ايام", "يومين" (two days) are a number of days."""
    return any(start <= c.start and c.end <= end for c in msg.cues.get(name, []))


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
            _near(msg, unit, s, e, after=1) or _inside(msg, unit, s, e)
            for unit in ("days", "half_days", "hours", "fte", "fulltime")
        ):
            continue  # "ik werk 4 dagen als secretaresse": the present job, not the time for school
        if _near(msg, "days", s, e, after=1) or _inside(msg, "days", s, e):
            # "2 à 3 dagen", "2-3 days": the lower bound, people can promise that.
            low = nums[k - 1].value if k and nums[k - 1].end >= s - 1 and nums[k - 1].value < v else v
            found.setdefault("days_per_week", (low, nums[k - 1].start if low != v else s, min(e + 1, len(words))))
        elif _near(msg, "half_days", s, e, after=1):
            found.setdefault("days_per_week", (v / 2, s, e + 1))
        elif (
            _near(msg, "hours", s, e, after=1)
            and v >= 4
            and (msg.expecting == "days_per_week" or _near(msg, "per_week", s, e, after=3))
        ):
            found.setdefault("days_per_week", (round(v / 8 * 2) / 2, s, e + 1))
        elif _near(msg, "fte", s, e, after=1) and v <= 1.5:
            found.setdefault("days_per_week", (round(v * 5 * 2) / 2, s, e + 1))
        elif _near(msg, "km", s, e, after=1):
            # "15 à 20 km": the lower bound, as for days.
            low = nums[k - 1].value if k and nums[k - 1].end >= s - 1 and nums[k - 1].value < v else v
            found.setdefault("max_travel_km", (low, nums[k - 1].start if low != v else s, e + 1))
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
                if msg.negated(_Match(c.start, c.end, c.hit)):
                    continue  # "niet meer de hele week voor de klas"
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


# Average speeds for a travel time ("een half uur fietsen"), km per hour; without a way of travelling the
# middle one. Rough on purpose: the matching only needs a radius.
_SPEED_KMH = {"by_bike": 15.0, "by_car": 60.0, "by_transit": 40.0, "on_foot": 5.0}
_DEFAULT_SPEED_KMH = 30.0
_HALF_HOUR = frozenset({"half uur", "half uurtje", "halfuur", "half an hour", "half hour"})


def _travel_time(msg: _Message, found: dict[str, tuple[Any, int, int]]) -> None:
    """A travel time as a distance: "20 minuten fietsen" (5 km), "een half uur met de auto" (30 km),
    "max een uurtje met de trein" (40 km). Only as the answer to the distance question, or next to a
    travel word."""
    if "max_travel_km" in found:
        return
    cues = sorted(msg.cues.get("minutes", []) + msg.cues.get("travel_hour", []), key=lambda c: c.start)
    if not cues or (msg.expecting != "max_travel_km" and not msg.has_cue("travel")):
        return
    if msg.expecting != "max_travel_km" and any(_near(msg, "per_week", c.start, c.end, after=3) for c in cues):
        return  # "32 uur per week" is working time, not travel
    if msg.has_cue("km") or msg.has_cue("miles"):
        return  # a distance said in kilometres wins over a travel time
    cue = max(cues, key=lambda c: c.end - c.start)  # "half uur" over "uur"
    phrase = " ".join(msg.words[cue.start : cue.end])
    before = _numbers(msg, set(range(cue.start, len(msg.words))))
    amount = next((n for n in reversed(before) if n.end == cue.start or n.end == cue.start - 1), None)
    unit = str(cue.hit.value)
    if phrase in _HALF_HOUR:
        minutes = 30.0 * (amount.value if amount is not None and amount.value != 0.5 else 1)
    elif phrase.startswith("kwartier"):
        minutes = 15.0 * (amount.value if amount is not None else 1)
    elif unit == "travel_hour":
        minutes = 60.0 * (amount.value if amount is not None else 1)
    elif amount is not None:
        minutes = amount.value
    else:
        return
    modes = [name for name in _SPEED_KMH if msg.has_cue(name)]
    speed = _SPEED_KMH[modes[0]] if len(modes) == 1 else _DEFAULT_SPEED_KMH
    km = round(minutes / 60 * speed)
    if km > 0:
        start = amount.start if amount is not None else cue.start
        found["max_travel_km"] = (km, start, cue.end)
