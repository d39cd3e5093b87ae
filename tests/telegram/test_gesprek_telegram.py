"""/gesprek on Telegram: the loopbaangesprek chat through the same service as the widget, durable per chat."""

from __future__ import annotations

from sqlalchemy import select

from loket.db import transaction
from loket.loopbaangesprek.models import Loopbaangesprek, LoopbaangesprekChat
from loket.telegram.models import TelegramChat
from tests.loopbaangesprek.conftest import add_coach
from tests.telegram.conftest import make_app
from tests.telegram.fake import RecordingRequest

ANSWERS = ("consent_yes", "Sanne", "sanne@example.org", "Stichting Test 1", "leerkracht", "nee", "leiderschap",
           "klaar", "Ik wil teamleider worden", "normaal", "email", "woensdag")


def _region(app) -> None:  # type: ignore[no-untyped-def]
    from loket.bestuur.models import Bestuur
    from loket.regio.models import Regio, Subregio

    with transaction(app.state.ctx.sessions) as db:
        db.add(Regio(id="midden-nederland", naam="Midden-Nederland"))
        db.flush()
        db.add(Subregio(id="utrecht-stad", regio_id="midden-nederland", naam="Utrecht stad"))
        for n in (1, 2):
            db.add(Bestuur(id=f"bestuur-{n}", naam=f"Stichting Test {n}", regio_id="midden-nederland"))
    add_coach(app, "c-a", "bestuur-2")  # a coach of another bestuur: the request gets a real date


def _texts(sent) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p["text"] for p in sent)


def _chat_row(app, chat_id: int = 4242) -> TelegramChat | None:  # type: ignore[no-untyped-def]
    with app.state.ctx.sessions() as db:
        return db.get(TelegramChat, str(chat_id))


def test_gesprek_runs_the_loopbaangesprek_chat_and_goes_back_to_the_intake(tg_app, chat, frozen_clock) -> None:
    _region(tg_app)
    help_text = _texts(chat.send("/help"))
    assert "/gesprek" in help_text
    first = chat.send("/gesprek")
    assert "consent_yes" in chat.button_data(), "the consent question comes with buttons"
    row = _chat_row(tg_app)
    assert row is not None and row.gesprek_id and row.gesprek_token_hash and row.sessie_id is None
    with tg_app.state.ctx.sessions() as db:
        gesprek_chat = db.get(LoopbaangesprekChat, row.gesprek_id)
        assert gesprek_chat.channel == "telegram" and gesprek_chat.token_hash == row.gesprek_token_hash
    assert first
    # /gesprek again in the middle continues instead of starting over.
    chat.say("consent_yes")
    again = _texts(chat.send("/gesprek"))
    assert "al bezig" in again and _chat_row(tg_app).gesprek_id == row.gesprek_id
    sent = []
    for answer in ANSWERS[1:]:
        sent = chat.say(answer)
    assert "bevestig" in chat.button_data()
    sent = chat.say("bevestig")
    text = _texts(sent)
    assert "uiterlijk vrijdag 27 november" in text and "/start" in text
    with tg_app.state.ctx.sessions() as db:
        [gesprek] = db.scalars(select(Loopbaangesprek)).all()
        assert (gesprek.kanaal, gesprek.bestuur_id, gesprek.email) == ("telegram", "bestuur-1", "sanne@example.org")
    assert _chat_row(tg_app).gesprek_id is None, "done: the chat lets go of the loopbaangesprek chat"
    # Afterwards the chat is the brede intake again.
    chat.send("hallo")
    assert chat.sessie() is not None


def test_gesprek_survives_a_restart_and_start_leaves_it(settings, knowledge, clean_db, frozen_clock) -> None:
    from fastapi.testclient import TestClient

    from loket.telegram.runtime import close_runtime
    from tests.telegram.conftest import TelegramChatDriver

    fake = RecordingRequest()
    app = make_app(settings, knowledge, fake)
    _region(app)
    with TestClient(app) as client:
        driver = TelegramChatDriver(client, fake)
        driver.send("/gesprek")
        driver.say("consent_yes")
        driver.send("Sanne")
    close_runtime(app.state.ctx)
    app.state.ctx.engine.dispose()

    app2 = make_app(settings, knowledge, fake)  # a new process, the same database
    try:
        with TestClient(app2) as client:
            driver = TelegramChatDriver(client, fake)
            assert "mail" in _texts(driver.send("/gesprek")).lower(), "the next question is the e-mail address"
            driver.send("sanne@example.org")
            with app2.state.ctx.sessions() as db:
                state = db.scalar(select(LoopbaangesprekChat)).state
            assert state["answers"]["naam"] == "Sanne" and state["answers"]["email"] == "sanne@example.org"
            stopped = _texts(driver.send("/start"))
            assert "/gesprek" in stopped and _chat_row(app2).gesprek_id is None
            assert driver.sessie() is not None, "/start goes to the brede intake"
    finally:
        close_runtime(app2.state.ctx)
        app2.state.ctx.engine.dispose()


def test_verwijder_removes_an_unfinished_gesprek(tg_app, chat) -> None:
    _region(tg_app)
    chat.send("/gesprek")
    chat.say("consent_yes")
    chat.send("Sanne")
    chat.send("/verwijder")
    with tg_app.state.ctx.sessions() as db:
        assert db.scalars(select(LoopbaangesprekChat)).all() == []
        assert db.get(TelegramChat, "4242") is None
