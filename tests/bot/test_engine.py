"""The intake engine's behaviour, with the real flow and vocabularies and a scripted understanding."""

from __future__ import annotations

import json

from bot.engine import IntakeEngine
from bot.state import IntakeState, TurnResult

# A groepsleerkracht is taken to work in the po (target_sector is inferred, not asked).
PO_PATH = ["ja", "groepsleerkracht", "hbo_bachelor"]


def say(engine: IntakeEngine, state: IntakeState, *texts: str) -> tuple[IntakeState, TurnResult]:
    result = None
    for text in texts:
        state, result = engine.handle(state, text)
        # The service stores the state as JSON between messages; every state must survive that.
        assert IntakeState.model_validate(json.loads(json.dumps(state.model_dump(mode="json")))) == state
    assert result is not None
    return state, result


def texts_of(result: TurnResult) -> str:
    return "\n".join(m.text for m in result.messages)


def replies_of(result: TurnResult) -> list[str]:
    return [r.value for m in result.messages for r in m.quick_replies]


def types_of(items: list[dict]) -> list[str]:
    return [item["type"] for item in items]


def answer_all(engine: IntakeEngine, state: IntakeState, result: TurnResult, limit: int = 40):
    """Answer every question with its first button (or a fixed text), until the summary."""
    fixed = {
        "number": "3",
        "text": "verpleegkunde",
        "place": "Amersfoort",
        "age": "41",
        "qualification_year": "2004",
    }
    for _ in range(limit):
        if result.expecting is None or result.expecting.slot == "confirm":
            return state, result
        kind = result.expecting.kind
        if kind == "multi_choice":
            text = "action:multi_none"
        elif result.expecting.choices:
            text = result.expecting.choices[0].value
        else:
            text = fixed.get(result.expecting.slot, fixed[kind])
        state, result = say(engine, state, text)
    raise AssertionError("intake did not reach the summary")


def test_start_asks_consent_first_and_stores_nothing(make_engine):
    engine = make_engine()
    state, result = engine.start()
    assert result.expecting.slot == "consent" and result.expecting.kind == "consent"
    assert replies_of(result) == ["ja", "nee"]
    text = texts_of(result)
    for must in ("bewaar", "12 maanden", "stop", "verwijder mijn gegevens"):
        assert must in text
    assert state.answers == {} and state.consent_version is None


def test_text_before_consent_is_not_kept(make_engine):
    engine = make_engine({"ik ben Marieke, 35 jaar": {"values": {"age": 35}}})
    state, _ = engine.start()
    state, result = say(engine, state, "ik ben Marieke, 35 jaar")
    assert result.expecting.slot == "consent"
    assert "Marieke" not in json.dumps(state.model_dump(mode="json"))
    assert state.answers == {}


def test_refusal_ends_politely_and_yes_later_starts(make_engine):
    engine = make_engine()
    state, _ = engine.start(language="en")
    state, result = say(engine, state, "nee")
    assert types_of(result.effects) == ["consent_refused"]
    assert state.phase == "refused" and state.answers == {} and state.consent_version is None
    state, result = say(engine, state, "yes")
    assert result.effects[0] == {"type": "consent_given", "version": engine.flow.consent.version}
    assert result.expecting.slot == "goal_role"


def test_consent_then_first_question_with_vocabulary_buttons(make_engine, vocab):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, "ja")
    assert state.consent_version == engine.flow.consent.version
    assert result.expecting.slot == "goal_role"
    assert [c.value for c in result.expecting.choices] == [c["value"] for c in vocab.choices("goal_role")]
    assert "question_shown" in types_of(result.events)


def test_mixed_initiative_fills_all_found_slots_and_confirms(make_engine):
    sentence = "ik ben 35, heb een wo-master psychologie en woon in Amersfoort"
    engine = make_engine(
        {
            sentence: {
                "values": {
                    "age": 35,
                    "education_level": "master",
                    "education_field": "psychologie",
                    "place": "Amersfoort",
                }
            }
        }
    )
    state, _ = engine.start()
    state, result = say(engine, state, "ja", sentence)
    assert state.answers["age"] == 35 and state.answers["education_level"] == "master"
    assert (
        "Genoteerd:" in texts_of(result)
        and "35 jaar" in texts_of(result)
        and "Amersfoort" in texts_of(result)
    )
    # goal_role was asked and not answered: it is asked again; the found slots are not
    assert result.expecting.slot == "goal_role"
    state, result = say(engine, state, "groepsleerkracht")
    assert result.expecting.slot == "foreign_diploma"  # education_level and education_field were skipped
    sources = {e["slot"]: e["source"] for e in result.events if e["type"] == "answered"}
    assert sources == {"goal_role": "button", "target_sector": "inferred"}  # the po is inferred, said back
    assert "Ik ga uit van" in texts_of(result) and state.answers["target_sector"] == "po"


def test_extracted_values_are_validated_like_typed_ones(make_engine):
    engine = make_engine({"ik ben 7": {"values": {"age": 7, "days_per_week": 9}}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "ik ben 7")
    assert "age" not in state.answers and "days_per_week" not in state.answers
    assert "invalid" in types_of(result.events)


def test_miss_reasks_with_example_and_buttons_then_moves_on(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "pedagogiek", "nee", "leerkracht", "ja")
    while result.expecting.slot != "days_per_week":
        state, result = say(engine, state, result.expecting.choices[0].value)
    state, result = say(engine, state, "heel veel")
    # Asked again: an example and a button for every answer, so the next message always settles it.
    assert "Bijvoorbeeld" in texts_of(result)
    assert {"1", "5", "weet_niet", "action:skip"} <= set(replies_of(result))
    assert "invalid" in types_of(result.events)
    state, result = say(engine, state, "3")
    assert state.answers["days_per_week"] == 3
    assert state.misses.get("days_per_week") is None


def test_second_miss_moves_on_never_a_third_time(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "pedagogiek", "nee", "leerkracht", "ja")
    while result.expecting.slot != "days_per_week":
        state, result = say(engine, state, result.expecting.choices[0].value)
    state, result = say(engine, state, "heel veel", "hmm")
    assert result.expecting.slot != "days_per_week"
    assert "Dat sla ik over" in texts_of(result)
    assert "days_per_week" in state.skipped and state.profile().days_per_week is None


def test_dont_know_is_recorded_and_moves_on(make_engine):
    engine = make_engine({"geen idee": {"dont_know": True}})
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "geen idee")
    assert "education_field" in state.dont_know and state.profile().education_field is None
    assert "dont_know" in types_of(result.events) and result.expecting.slot == "foreign_diploma"
    # an enum that has weet_niet stores it as its value
    state, result = say(engine, state, "weet_niet")
    assert state.answers.get("foreign_diploma") is None and "foreign_diploma" in state.dont_know


def test_choice_weet_niet_is_a_value(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, _ = say(engine, state, "ja", "weet_niet")
    assert state.profile().goal_role == "weet_niet"


def test_correction_by_value_replaces_and_reasks_only_dependants(make_engine):
    engine = make_engine({"nee, ik bedoelde havo": {"intent": "edit", "values": {"education_level": "havo"}}})
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "pedagogiek", "nee", "kok", "nee")
    assert result.expecting.slot == "teaching_qualification"
    state, result = say(engine, state, "nee, ik bedoelde havo")
    assert state.answers["education_level"] == "havo"
    assert "education_field" not in state.answers  # depends on the diploma: forgotten
    assert state.answers["current_role"] == "kok" and state.answers["foreign_diploma"] == "nee"  # kept
    assert "Aangepast" in texts_of(result)
    assert any(e["type"] == "edited" and e["slot"] == "education_level" for e in result.events)
    assert result.expecting.slot == "exam_subjects"  # newly relevant, asked now


def test_wijzig_without_target_shows_answers_to_pick(make_engine):
    engine = make_engine({"wijzig": {"intent": "edit"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "wijzig")
    assert result.expecting.slot == "edit"  # target_sector was inferred (po), it can be changed too
    assert {"edit:goal_role", "edit:target_sector", "action:back"} <= set(replies_of(result))
    state, result = say(engine, state, "edit:goal_role")
    assert result.expecting.slot == "goal_role"
    state, result = say(engine, state, "docent_vo")
    assert state.answers["goal_role"] == "docent_vo"
    assert "target_sector" not in state.answers  # no longer relevant for a VO teacher
    assert result.expecting.slot == "goal_subject"


def test_summary_edit_and_confirm(make_engine):
    engine = make_engine()
    state, result = engine.start()
    state, result = say(engine, state, "ja")
    state, result = answer_all(engine, state, result)
    assert state.phase == "summary" and "summary_shown" in types_of(result.events)
    assert replies_of(result)[0] == "action:confirm"
    assert "edit:education_level" in replies_of(result)
    assert "Dit heb ik van je genoteerd" in texts_of(result)
    before = dict(state.answers)
    state, result = say(engine, state, "edit:days_per_week")
    assert result.expecting.slot == "days_per_week"
    state, result = say(engine, state, "2")
    assert state.phase == "summary"  # only that slot was asked again
    assert state.answers == {**before, "days_per_week": 2}
    state, result = say(engine, state, "action:confirm")
    assert result.done and types_of(result.effects) == ["done"] and "done" in types_of(result.events)
    assert result.expecting is None


def test_stop_and_resume(make_engine):
    engine = make_engine({"stop": {"intent": "stop"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "stop")
    assert types_of(result.effects) == ["stop"] and state.phase == "stopped"
    assert {"type": "abandoned", "slot": "education_level", "value": None, "source": None} in result.events
    state, result = say(engine, state, "action:resume")
    assert result.expecting.slot == "education_level" and state.answers["goal_role"] == "groepsleerkracht"
    assert state.answers["target_sector"] == "po"  # the inferred answer survives the stop


def test_erase_clears_everything(make_engine):
    engine = make_engine({"verwijder mijn gegevens": {"intent": "erase"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "verwijder mijn gegevens")
    assert types_of(result.effects) == ["erase"]
    assert state.answers == {} and state.consent_version is None and state.phase == "erased"
    state, result = say(engine, state, "hallo")
    assert result.expecting.slot == "consent"


def test_restart_needs_confirmation_and_keeps_consent(make_engine):
    engine = make_engine({"opnieuw beginnen": {"intent": "restart"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "opnieuw beginnen")
    assert result.expecting.slot == "restart" and state.answers
    state, result = say(engine, state, "nee")
    assert result.expecting.slot == "education_level" and state.answers["goal_role"] == "groepsleerkracht"
    state, result = say(engine, state, "opnieuw beginnen", "ja")
    assert types_of(result.effects) == ["restart"] and state.answers == {}
    assert state.consent_version and result.expecting.slot == "goal_role"


def test_handoff_asks_contact_and_preference_then_continues(make_engine):
    engine = make_engine({"ik wil iemand spreken": {"intent": "handoff"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "ik wil iemand spreken")
    assert result.expecting.slot == "contact"
    state, result = say(engine, state, "bel me maar")
    assert result.expecting.slot == "contact" and "Bijvoorbeeld" in texts_of(result)
    state, result = say(engine, state, "mijn nummer is 06-12 34 56 78")
    assert result.expecting.slot == "contact_preferred"
    state, result = say(engine, state, "na 17 uur bellen")
    assert result.effects == [
        {
            "type": "handoff",
            "contact": "06-12 34 56 78",
            "contact_kind": "phone",
            "preferred": "na 17 uur bellen",
        }
    ]
    assert state.handoff_contact is None  # not kept in the state after it was handed over
    assert result.expecting.slot == "continue"
    state, result = say(engine, state, "ja")
    assert result.expecting.slot == "education_level" and state.answers["goal_role"] == "groepsleerkracht"


def test_handoff_with_email_and_no_continue(make_engine):
    engine = make_engine({"iemand spreken": {"intent": "handoff"}})
    state, _ = engine.start()
    state, result = say(
        engine, state, "ja", "iemand spreken", "Mail: Anna.de.Vries@example.nl", "Mail me", "nee"
    )
    assert state.phase == "paused"
    state, result = say(engine, state, "hoi")
    assert result.expecting.slot == "goal_role"


def test_handoff_before_consent_needs_consent(make_engine):
    engine = make_engine({"ik wil iemand spreken": {"intent": "handoff"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ik wil iemand spreken")
    assert result.expecting.slot == "consent" and result.effects == []


def test_language_switch_keeps_answers_and_reshows_question(make_engine):
    engine = make_engine({"english please": {"intent": "language_en"}})
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "english please")
    assert state.language == "en" and state.answers["goal_role"] == "groepsleerkracht"
    assert {"type": "language", "language": "en"} in result.effects
    assert result.messages[-1].text == engine.flow.slot("education_level").ask.en
    state, result = engine.set_language(state, "nl")
    assert result.messages[-1].text == engine.flow.slot("education_level").ask.nl
    assert state.profile().language == "nl"


def test_prompt_reshows_without_changing_state(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, _ = say(engine, state, "ja", "groepsleerkracht")
    frozen = state.model_dump()
    result = engine.prompt(state)
    assert result.expecting.slot == "education_level" and state.model_dump() == frozen


def test_old_button_of_earlier_question(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "pedagogiek", "nee", "kok")
    assert result.expecting.slot == "works_in_education"
    # unambiguous value of an earlier question: a correction
    state, result = say(engine, state, "wo_bachelor")
    assert state.answers["education_level"] == "wo_bachelor"
    assert result.expecting.slot == "education_field"  # made stale by the correction: asked first
    state, result = say(engine, state, "wiskunde")
    assert result.expecting.slot == "works_in_education"
    # a value two questions share ("geen": diploma or bevoegdheid): show the current question again
    state, result = say(engine, state, "geen")
    assert state.answers["education_level"] == "wo_bachelor"
    assert "eerdere vraag" in texts_of(result) and result.expecting.slot == "works_in_education"


def test_multi_choice_buttons_collect_until_done(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "groepsleerkracht", "havo")
    assert result.expecting.slot == "exam_subjects" and result.expecting.kind == "multi_choice"
    state, result = say(engine, state, "geschiedenis", "biologie")
    assert "geschiedenis" not in replies_of(result) and "action:multi_done" in replies_of(result)
    state, result = say(engine, state, "action:multi_done")
    assert state.answers["exam_subjects"] == ["geschiedenis", "biologie"]
    assert result.expecting.slot == "foreign_diploma"


def test_foreign_questions_only_for_foreign_diplomas(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, *PO_PATH, "pedagogiek", "buiten_eu")
    assert result.expecting.slot == "foreign_teaching_qualification"
    state, result = say(engine, state, "ja")
    assert result.expecting.slot == "dutch_level"


def test_long_and_odd_input_is_safe(make_engine):
    engine = make_engine()
    state, _ = engine.start()
    state, result = say(engine, state, "ja", "x" * 100_000, "\x00\x07", "   ")
    assert result.expecting.slot == "goal_role"


def test_random_conversations_never_break_the_state(real_engine):
    """Any mix of button presses, stale buttons, commands and free text keeps a valid, serialisable state."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    free = st.sampled_from(
        [
            "ja",
            "nee",
            "weet ik niet",
            "stop",
            "wijzig",
            "opnieuw beginnen",
            "english please",
            "nederlands",
            "ik wil iemand spreken",
            "help",
            "action:confirm",
            "edit:age",
            "edit:nonsense",
            "hbo_bachelor",
            "ik ben 41 jaar en woon in Zeist",
            "3 dagen",
            "x@y.nl",
            "0612345678",
            "",
            "🙂",
            "klaar",
            "verwijder mijn gegevens",
            "action:resume",
            "action:skip",
            "weet_niet",
            "geschiedenis",
        ]
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.booleans(), free, st.integers(min_value=0, max_value=30)), max_size=25))
    def run(steps):
        state, result = real_engine.start()
        for use_button, text, pick in steps:
            offered = [r.value for m in result.messages for r in m.quick_replies]
            message = offered[pick % len(offered)] if use_button and offered else text
            state, result = real_engine.handle(state, message)
            assert IntakeState.model_validate(state.model_dump(mode="json")) == state
            state.profile()  # always a valid Profile
            if state.consent_version is None:
                assert state.answers == {}

    run()
