"""Linking Telegram with a one-time code, and offers answered with buttons through the invalpool's own claim."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from loket.db import transaction
from loket.invaller.models import Invaller
from loket.outbox.models import OutboxBericht
from loket.telegram import service
from loket.telegram.views import koppel_link
from tests.invalpool import world
from tests.telegram.conftest import TelegramChatDriver


def _code_from(page: str) -> str:
    found = re.search(r"<strong>([A-Z2-9]{5}-[A-Z2-9]{5})</strong>", page)
    assert found, page
    return found.group(1)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _invaller(ctx, invaller_id: str = "inv-1") -> None:  # type: ignore[no-untyped-def]
    world.seed(ctx.sessions)
    with transaction(ctx.sessions) as db:
        world.add_invaller(db, invaller_id)


def _link(chat: TelegramChatDriver, invaller_id: str = "inv-1") -> str:
    url = koppel_link(chat.ctx, invaller_id=invaller_id).removeprefix(chat.ctx.settings.base_url)
    form = chat.client.get(url)
    assert form.status_code == 200 and "Maak een koppelcode" in form.text
    page = chat.client.post(url, data={"csrf_token": _csrf(form.text)})
    assert page.status_code == 200
    assert "t.me/loket_test_bot?start=" in page.text
    return _code_from(page.text)


def test_an_invaller_links_telegram_with_a_one_time_code(chat, tg_app) -> None:
    _invaller(chat.ctx)
    code = _link(chat)
    sent = chat.send(f"/code {code}")
    assert "gekoppeld aan je invalprofiel" in sent[-1]["text"]
    with chat.ctx.sessions() as db:
        assert db.get(Invaller, "inv-1").telegram_chat_id == str(chat.chat_id)
    other = TelegramChatDriver(chat.client, chat.fake, chat_id=666)
    assert "ken ik niet" in other.send(f"/code {code}")[-1]["text"]  # used once
    with chat.ctx.sessions() as db:
        assert db.get(Invaller, "inv-1").telegram_chat_id == str(chat.chat_id)


def test_codes_expire_and_links_are_checked(chat, tg_app, frozen_clock) -> None:
    _invaller(chat.ctx)
    with transaction(chat.ctx.sessions) as db:
        code = service.new_koppelcode(db_session=db, invaller_id="inv-1")
    frozen_clock.advance(minutes=31)
    assert "ken ik niet" in chat.send(f"/start {code.replace('-', '')}")[-1]["text"]
    assert chat.client.get("/telegram/koppelen/forged-token").status_code == 404
    form = chat.client.get("/telegram/koppelen/forged-token")
    assert "verlopen" in form.text
    assert chat.client.post("/telegram/koppelen/forged-token").status_code in (403, 404)


def test_a_coach_account_links_from_its_own_page(chat, tg_app) -> None:
    from loket.coach.models import Coach
    from tests.accounts import login, make_account

    with transaction(chat.ctx.sessions) as db:
        db.add(Coach(id="coach-x", naam="Coach X"))
    _id, email, password = make_account(tg_app, "coach", coach_id="coach-x")
    csrf = login(chat.client, email, password)
    form = chat.client.get("/coach/telegram")
    assert form.status_code == 200
    assert chat.client.post("/coach/telegram", data={}).status_code == 403  # no CSRF token
    page = chat.client.post("/coach/telegram", data={"csrf_token": csrf})
    sent = TelegramChatDriver(chat.client, chat.fake, chat_id=808).send(f"/code {_code_from(page.text)}")
    assert "coachprofiel" in sent[-1]["text"]
    with chat.ctx.sessions() as db:
        assert db.get(Coach, "coach-x").telegram_chat_id == "808"


def test_staff_cannot_use_the_coach_link_page_and_anonymous_people_must_log_in(chat, tg_app) -> None:
    from tests.accounts import login, make_account

    assert chat.client.get("/coach/telegram", headers={"accept": "text/html"},
                           follow_redirects=False).status_code in (303, 401)
    _id, email, password = make_account(tg_app, "medewerker")
    login(chat.client, email, password)
    assert chat.client.get("/coach/telegram").status_code == 403


def test_an_offer_is_accepted_with_a_button_through_the_atomic_claim(chat, tg_app, frozen_clock) -> None:
    from loket.vervangingsvraag import messaging
    from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag

    ctx = chat.ctx
    _invaller(ctx, "inv-1")
    with transaction(ctx.sessions) as db:
        world.add_invaller(db, "inv-2")
    chat.send(f"/code {_link(chat, 'inv-1')}")
    rival = TelegramChatDriver(chat.client, chat.fake, chat_id=5151)
    rival.send(f"/code {_link(rival, 'inv-2')}")
    with transaction(ctx.sessions) as db:
        vraag = Vervangingsvraag(id="vraag-1", school_id="school-a1", bestuur_id="bestuur-a",
                                 datum_van=date(2026, 11, 26), datum_tot=date(2026, 11, 26))
        db.add(vraag)
        db.flush()
        for inv in ("inv-1", "inv-2"):
            aanbod = Aanbod(id=f"aanbod-{inv}", vraag_id="vraag-1", invaller_id=inv)
            db.add(aanbod)
            db.flush()
            invaller = db.get(Invaller, inv)
            messaging.send_to_invaller(db_session=db, invaller=invaller,
                                       message=messaging.Message("Invalwerk", f"Kun je morgen? ({inv})"),
                                       buttons=messaging.offer_buttons(aanbod.id), extra={"aanbod_id": aanbod.id})
    from loket.telegram.scheduled import deliver_due

    deliver_due(ctx)
    assert chat.button_data() == ["aanbod:accept:aanbod-inv-1", "aanbod:decline:aanbod-inv-1"]
    assert "aanbod:accept:aanbod-inv-2" in rival.button_data()

    # Someone else's button in this chat does nothing to their offer.
    sent = chat._exchange(__import__("tests.telegram.factories", fromlist=["x"]).button_press(
        chat.chat_id, "aanbod:accept:aanbod-inv-2"))
    assert "niet (meer) voor jou" in sent[-1]["text"]

    chat.press("aanbod:accept:aanbod-inv-1")
    rival.press("aanbod:accept:aanbod-inv-2")  # too late: the claim was won already
    with ctx.sessions() as db:
        assert db.get(Vervangingsvraag, "vraag-1").invaller_id == "inv-1"
        assert db.get(Aanbod, "aanbod-inv-1").status == "geaccepteerd"
        assert db.get(Aanbod, "aanbod-inv-2").status != "geaccepteerd"
    assert chat.fake.of("editMessageText")[-1]["text"].endswith("» Ja, ik kom")


def test_a_coach_request_queued_by_the_loopbaangesprek_domain_gets_buttons(chat, tg_app) -> None:
    from loket.outbox.service import queue

    with transaction(chat.ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient=str(chat.chat_id), body="Nieuwe aanvraag",
              payload={"loopbaangesprek_id": "g1", "toewijzing_id": "t1"})
    from loket.telegram.scheduled import deliver_due

    deliver_due(chat.ctx)
    assert chat.button_data() == ["a:loopbaangesprek.accept:t1", "a:loopbaangesprek.decline:t1"]
    sent = chat.press("a:loopbaangesprek.accept:t1")  # not this chat's coach (no such offer)
    assert "niet (meer) voor jou" in sent[-1]["text"]


def test_undeliverable_messages_are_visible_to_staff(chat, tg_app) -> None:
    from loket.outbox.service import queue
    from tests.accounts import login, make_account

    chat.fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with transaction(chat.ctx.sessions) as db:
        queue(db_session=db, channel="telegram", recipient="999", body="Hallo <b>daar</b>")
    from loket.telegram.scheduled import deliver_due

    deliver_due(chat.ctx)
    with chat.ctx.sessions() as db:
        message = db.scalars(select(OutboxBericht)).one()
        assert message.status == "failed" and "blocked" in message.last_error
    _id, email, password = make_account(tg_app, "medewerker")
    login(chat.client, email, password)
    page = chat.client.get("/console/telegram")
    assert page.status_code == 200 and "blocked by the user" in page.text
    assert "Hallo &lt;b&gt;daar&lt;/b&gt;" in page.text  # escaped, never marked safe


def _offer(ctx, aanbod_id: str, vraag_id: str, day: int) -> None:  # type: ignore[no-untyped-def]
    from loket.vervangingsvraag import messaging
    from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag

    with transaction(ctx.sessions) as db:
        db.add(Vervangingsvraag(id=vraag_id, school_id="school-a1", bestuur_id="bestuur-a",
                                datum_van=date(2026, 11, day), datum_tot=date(2026, 11, day)))
        db.flush()
        db.add(Aanbod(id=aanbod_id, vraag_id=vraag_id, invaller_id="inv-1"))
        db.flush()
        messaging.send_to_invaller(db_session=db, invaller=db.get(Invaller, "inv-1"),
                                   message=messaging.Message("Invalwerk", "Kun je?"),
                                   buttons=messaging.offer_buttons(aanbod_id), extra={"aanbod_id": aanbod_id})


def test_a_linked_invaller_answers_an_offer_in_words_and_never_gets_the_intake(chat, tg_app, frozen_clock) -> None:
    from loket.intake.models import IntakeSessie
    from loket.telegram.scheduled import deliver_due
    from loket.vervangingsvraag.models import Aanbod, Vervangingsvraag

    ctx = chat.ctx
    _invaller(ctx, "inv-1")
    chat.send(f"/code {_link(chat, 'inv-1')}")
    # Without an open offer: what the chat can do, once; no consent question of the brede intake.
    sent = chat.send("hoi, is er nog werk?")
    assert "geen open aanvragen" in sent[-1]["text"]
    _offer(ctx, "aanbod-a", "vraag-a", 26)
    _offer(ctx, "aanbod-b", "vraag-b", 27)
    deliver_due(ctx)
    # Two open offers: "ja" does not guess which; both come back with their buttons.
    sent = chat.send("ja hoor")
    assert "2 open aanvragen" in sent[0]["text"]
    shown = {b.get("callback_data") for m in sent for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
             for b in row}
    assert {"a:aanbod.accept:aanbod-a", "a:aanbod.accept:aanbod-b"} <= shown
    chat.press("aanbod:decline:aanbod-b")
    # One open offer left: a yes in words is that offer's answer, through the same atomic claim.
    chat.send("ja, ik kom graag 👍")
    with ctx.sessions() as db:
        assert db.get(Aanbod, "aanbod-a").status == "geaccepteerd"
        assert db.get(Vervangingsvraag, "vraag-a").invaller_id == "inv-1"
        assert db.scalars(select(IntakeSessie)).first() is None
