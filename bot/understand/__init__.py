"""Free-text understanding for the brede intake: rules plus rapidfuzz, no model, no I/O.

``extract`` reads one message and returns the Profile slots it states, validated like a typed
answer. ``detect_intent`` recognises commands about the conversation ("stop", "english please").
``extract_edit_target`` names the slot a correction is about. All words come from the lexicon
(built from ``knowledge/vocabularies`` and ``knowledge/region.yaml``); this package holds only the
reading rules: which cue words make a fact count, how numbers are read, and how a slot the bot
asked for changes what a short answer means.

``message`` reads a message once (tokens, clauses, vocabulary matches, cues), with ``forms`` giving the
known form of an Arabic, Turkish or Ukrainian word written with clitics or suffixes; ``numbers``,
``education``, ``roles``, ``place``, ``conduct`` and ``answers`` each read one kind of fact from
it; ``reading`` runs them in order (``extract``); ``intents`` reads commands and corrections.
"""

from __future__ import annotations

from bot.understand.answers import MAX_FREE_WORDS, read_dont_know, read_yes_no
from bot.understand.intents import MAX_INTENT_TOKENS, detect_intent, extract_edit_target
from bot.understand.message import (
    BOOLEAN_SLOTS,
    COUNTRIES,
    FREE_SLOTS,
    MAX_CHARS,
    MAX_FUZZY_QUERIES,
    MAX_TOKENS,
    NUMBER_SLOTS,
    SLOT_VOCAB,
    Extraction,
)
from bot.understand.reading import extract

__all__ = [
    "BOOLEAN_SLOTS",
    "COUNTRIES",
    "FREE_SLOTS",
    "MAX_CHARS",
    "MAX_FREE_WORDS",
    "MAX_FUZZY_QUERIES",
    "MAX_INTENT_TOKENS",
    "MAX_TOKENS",
    "NUMBER_SLOTS",
    "SLOT_VOCAB",
    "Extraction",
    "detect_intent",
    "extract",
    "extract_edit_target",
    "read_dont_know",
    "read_yes_no",
]
