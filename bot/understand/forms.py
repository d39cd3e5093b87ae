"""The form of a typed word that the vocabulary knows, for languages that write more onto a word than
Dutch and English do.

- Arabic writes "and", "so", "in/with", "for", "as" and "the" onto the next word: "بمطعم" (in a restaurant)
  is "مطعم", "بالمطبخ" is "المطبخ" or "مطبخ", "وثلاثين" is "ثلاثين".
- Turkish adds case, possessive and person suffixes: "şirketinde" (at its company) is "şirket", "müdürü"
  (its manager) is "müdür", "şoförüyüm" (I am a driver) is "şoför", "öğretmenliği" is "öğretmenlik"; a
  suffix that says "was" ("öğretmendim", I was a teacher) makes the word a past cue as well.
- Ukrainian (and Russian) inflect nouns and adjectives: "ресторані", "офіціанткою" are "ресторан",
  "офіціантка".

A form is used only for a word that has no meaning of its own in the vocabulary (so "وثلاثين", "okulda" or
"школу", which are listed as typed, stay as they are) and only when the shorter form has one; a Ukrainian
yes or no is read only as typed. Turkish is written in Latin script, so its suffixes are taken off only in a
Turkish chat or in a word with a letter only Turkish uses (ş, ğ, ı): a Dutch or English word is never cut.
All forms are folded like the vocabulary (``knowledge.folding``).
"""

from __future__ import annotations

from bot.lexicon import CUE, Lexicon, Token

# ------------------------------------------------------------------------------------------------ Arabic

_AR_CONJ = ("و", "ف")  # and, so
_AR_PREP = ("ب", "ل", "ك")  # in/with/at, for/to, as/like
_AR_ARTICLE = "ال"
_MIN_AR_STEM = 3  # Arabic roots have three letters: a shorter rest is a particle, not a word ("بما" is no "ما")


def _is_arabic(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


def arabic_forms(word: str) -> list[str]:
    """The word without its clitics, fewest taken off first: "وبالمدرسه" -> "بالمدرسه", "المدرسه", "مدرسه"."""
    forms = [word]
    if word[:1] in _AR_CONJ:
        forms.append(word[1:])
    for f in list(forms):
        if f.startswith("لل"):
            forms.append(_AR_ARTICLE + f[2:])  # "للمدرسه" is "ل" + "المدرسه"
        elif f[:1] in _AR_PREP:
            forms.append(f[1:])
    for f in list(forms):
        if f.startswith(_AR_ARTICLE):
            forms.append(f[len(_AR_ARTICLE) :])
    return [f for f in dict.fromkeys(forms[1:]) if len(f) >= _MIN_AR_STEM]


# ----------------------------------------------------------------------------------------------- Turkish

# Folded (ı and i, ü and u, ö and o are one letter here), so one entry covers both vowel-harmony forms.
_TR_SUFFIXES = tuple(sorted({
    # case: locative, ablative, dative, accusative, genitive, with
    "da", "de", "ta", "te", "nda", "nde", "dan", "den", "tan", "ten", "ndan", "nden",
    "a", "e", "ya", "ye", "na", "ne", "i", "u", "yi", "yu", "ni", "nu", "in", "un", "nin", "nun",
    "yla", "yle", "la", "le",
    # possessive
    "si", "su", "im", "um", "m", "imiz", "umuz", "iniz", "unuz", "leri", "lari",
    # plural
    "ler", "lar",
    # "I am", "we are", "is", "I was", "was"
    "yim", "yum", "yiz", "yuz", "iz", "uz", "dir", "dur", "tir", "tur",
    "ydim", "ydum", "dim", "dum", "tim", "tum", "ydi", "ydu", "di", "du", "ti", "tu",
}, key=len, reverse=True))  # fmt: skip
_TR_LETTERS = frozenset("şğıŞĞİ")
_MIN_TR_STEM = 4  # "ben", "ev", "iş" are too short to tell from other words
# A stem of four letters only as a job, subject or field ("depo", "aşçı"): as short as that, a place, a cue
# or a yes ("adam" is A'dam, "süresi" is no "sure") is too often another word.
_SHORT_TR_STEM = 4
_SHORT_TR_VOCABS = frozenset({
    "current_role", "goal_role", "goal_subject", "education_field", "education_level", "target_sector",
    "teaching_qualification", "exam_subjects",
})  # fmt: skip
_TR_MAX_SUFFIXES = 3
# "ğ" is a "k" before a vowel: "öğretmenliği" (also typed "ogretmenligi") is "öğretmenlik", "çocuğu" "çocuk".
_TR_SOFT = {"g": "k"}


def turkish_forms(word: str) -> list[str]:
    """The word with up to three suffixes taken off, longest (fewest taken off) first."""
    out: list[str] = []
    frontier = [word]
    for _ in range(_TR_MAX_SUFFIXES):
        following: list[str] = []
        for w in frontier:
            for suffix in _TR_SUFFIXES:
                if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_TR_STEM:
                    stem = w[: -len(suffix)]
                    if stem not in out:
                        out.append(stem)
                        following.append(stem)
        frontier = following
    out += [s[:-1] + _TR_SOFT[s[-1]] for s in out if s[-1] in _TR_SOFT]
    return sorted(dict.fromkeys(out), key=len, reverse=True)


# The past copula: "öğretmendim" (I was a teacher), "şoförüydüm", "müdürdü".
_TR_PAST = ("ydim", "ydum", "ydik", "yduk", "dim", "dum", "tim", "tum", "dik", "duk", "tik", "tuk",
            "ydi", "ydu", "di", "du", "ti", "tu")  # fmt: skip


def turkish_past(word: str, form: str) -> bool:
    """Whether the suffixes taken off ``word`` to get ``form`` say "was" ("öğretmendim" -> "öğretmen")."""
    stem = form if word.startswith(form) else form[:-1]
    return word.startswith(stem) and word[len(stem) :].endswith(_TR_PAST)


def _turkish_word(original: str, language: str | None) -> bool:
    return language == "tr" or any(ch in _TR_LETTERS for ch in original)


# ------------------------------------------------------------------------------------- Ukrainian, Russian

_CY_ENDINGS = tuple(sorted({
    "а", "я", "у", "ю", "і", "ї", "и", "е", "є", "о", "ь", "ы",
    "ій", "ий", "ой", "ої", "ою", "ею", "єю", "ом", "ем", "єм", "ам", "ям", "ах", "ях", "ів", "їв", "ей",
    "ого", "ому", "им", "ім", "их", "іх", "ими", "ами", "ями", "ові", "еві", "ую", "юю", "ая", "яя", "ое",
}, key=len, reverse=True))  # fmt: skip
_MIN_CY_WORD = 5
_MIN_CY_STEM = 4


def _is_cyrillic(word: str) -> bool:
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"


def cyrillic_stem(word: str) -> str:
    """The word without its case ending ("ресторані" -> "ресторан", "офіціанткою" -> "офіціантк")."""
    for ending in _CY_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_CY_STEM:
            return word[: -len(ending)]
    return word


_CY_TABLES: dict[int, tuple[Lexicon, dict[str, str]]] = {}


def _cyrillic_table(lex: Lexicon) -> dict[str, str]:
    """Stem -> the one-word vocabulary entry to read a word with that stem as, for stems whose words do not
    mean different things ("школа", "школу" and "школі" are one school; a stem shared by two jobs is left out)."""
    cached = _CY_TABLES.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    keys: dict[str, list[str]] = {}
    for key, hits in lex.phrases.items():
        # A yes or no is read only as typed: "звичайна школа" (an ordinary school) is no "звичайно" (sure).
        if " " not in key and len(key) >= _MIN_CY_WORD and _is_cyrillic(key) and all(h.vocab != "yes_no" for h in hits):
            keys.setdefault(cyrillic_stem(key), []).append(key)
    table: dict[str, str] = {}
    for stem, same in keys.items():
        values: dict[str, set[str]] = {}
        for key in same:
            for h in lex.phrases[key]:
                if lex.kinds.get(h.vocab) != CUE:
                    values.setdefault(h.vocab, set()).add(str(h.value))
        if all(len(v) == 1 for v in values.values()):
            table[stem] = max(same, key=lambda k: (len(lex.phrases[k]), -len(k)))
    if len(_CY_TABLES) > 8:
        _CY_TABLES.clear()
    _CY_TABLES[id(lex)] = (lex, table)
    return table


# ----------------------------------------------------------------------------------------------- reading


def word_forms(tokens: list[Token], text: str, lex: Lexicon, language: str | None) -> list[str]:
    """Per token, the form to look up: the typed word, or a shorter form the vocabulary knows."""
    forms: list[str] = []
    for tok in tokens:
        word = tok.text
        forms.append(_known_form(word, text[tok.start : tok.end], lex, language) or word)
    return forms


def _known_form(word: str, original: str, lex: Lexicon, language: str | None) -> str | None:
    if word in lex.phrases or word[:1].isdigit():
        return None
    if _is_arabic(word):
        candidates = arabic_forms(word)
    elif _is_cyrillic(word):
        if len(word) < _MIN_CY_WORD:
            return None
        key = _cyrillic_table(lex).get(cyrillic_stem(word))
        return key if key != word else None
    elif word.isascii() and word.isalpha() and _turkish_word(original, language):
        candidates = [
            c for c in turkish_forms(word)
            if len(c) > _SHORT_TR_STEM or any(h.vocab in _SHORT_TR_VOCABS for h in lex.phrases.get(c, ()))
        ]
    else:
        return None
    return next((c for c in candidates if c in lex.phrases), None)
