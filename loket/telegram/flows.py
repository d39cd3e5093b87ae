"""What a Telegram update does in loket: the desk behind the handlers, and processing an update once.

``LoketDesk`` is the service side of ``bot.telegram``: it maps a chat to an intake session and calls the
SAME intake service as the web (start, handle_message, set_language, resume), runs /gesprek through the
SAME loopbaangesprek chat service as the web widget (``loket.loopbaangesprek.chat``), links invallers and
coaches with a one-time code, and passes offer buttons to their domains. Every reply is queued in the outbox in
the same transaction as the work, so a reply is never lost and never sent for work that was rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot.telegram import ChatEvent, HandlerFailed, Reaction, dispatch, resolve_callback
from knowledge.schema.text import LANGUAGES
from loket import clock
from loket.context import AppContext
from loket.db import transaction
from loket.intake import service as intake
from loket.intake.models import IntakeSessie
from loket.loopbaangesprek import chat as gesprek_chat
from loket.loopbaangesprek.models import LoopbaangesprekChat
from loket.telegram import actions, linked, service
from loket.telegram.messaging import part, say, turn_parts
from loket.telegram.models import TelegramChat
from loket.text import clean

log = logging.getLogger("loket.telegram")

# Commands that are words the intake engine understands (button values of its own actions).
ENGINE_COMMANDS = {
    "wijzig": "action:edit",
    "opnieuw": "action:restart",
    "stop": "stop",
    "mens": "action:handoff",
    "verwijder": "action:erase",
}
# Each language named in itself (knowledge/languages.yaml has the same names).
LANGUAGE_BUTTONS = [{"label": name, "value": f"tg:taal:{code}"} for code, name in (
    ("nl", "Nederlands"), ("en", "English"), ("ar", "العربية"), ("uk", "Українська"), ("tr", "Türkçe"))]


class LoketDesk:
    """The desk for one update, bound to the transaction that processes it."""

    def __init__(self, ctx: AppContext, db_session: Session) -> None:
        self.ctx = ctx
        self.db = db_session
        self.chats: set[str] = set()  # chats that got a reply (delivered right after commit)
        self.lost: str | None = None

    # ------------------------------------------------------------------ entry

    def handle(self, event: ChatEvent) -> Reaction:
        """Do what ``event`` asks and queue the replies."""
        from bot.telegram import language_from

        chat = service.get_chat(db_session=self.db, chat_id=event.chat_id,
                                language=language_from(event.language_code))
        self.chats.add(chat.chat_id)
        if event.kind == "command":
            return self._command(chat, event)
        if event.kind == "button":
            return self._button(chat, event)
        if event.kind == "text":
            limit = self.ctx.settings.max_message_chars
            if len(event.text) > limit:
                self._say(chat, say("too_long", chat.language, limit=limit))
                return Reaction()
            if self._gesprek(chat) is not None:
                self._gesprek_message(chat, clean(event.text), event)
            elif not self._linked_text(chat, clean(event.text)):
                self._intake(chat, clean(event.text), event)
            return Reaction()
        self._say(chat, say("only_text", chat.language))
        return Reaction()

    # ------------------------------------------------------------------ replies

    def _say(self, chat: TelegramChat, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        service.queue_parts(db_session=self.db, chat_id=chat.chat_id, parts=[part(text, buttons)])

    def _turn(self, chat: TelegramChat, body: dict[str, Any], before: list[str] | None = None,
              *, offer_languages: bool = False) -> None:
        language = body.get("language") or chat.language
        chat.language = language
        parts = [part(text) for text in before or []] + turn_parts(body)
        if offer_languages and parts:
            # The welcome carries the five languages, each named in itself, after its own buttons: the
            # chat starts in the app's language, any other is one tap away (later too: /taal).
            others = [b for b in LANGUAGE_BUTTONS if b["value"] != f"tg:taal:{language}"]
            parts[0] = {**parts[0], "buttons": [*parts[0]["buttons"], *others]}
        service.queue_parts(db_session=self.db, chat_id=chat.chat_id, parts=parts)

    # ------------------------------------------------------------------ the intake

    def _session(self, chat: TelegramChat) -> IntakeSessie | None:
        """The chat's intake, or None; when its token stopped fitting, the chat lets go of it and
        ``self.lost`` says why ("moved": continued elsewhere with its code, "gone": expired or erased)."""
        if not chat.sessie_id or not chat.sessie_token_hash:
            return None
        try:
            return intake.authorise(db_session=self.db, session_id=chat.sessie_id, token=None,
                                    token_hash=chat.sessie_token_hash)
        except intake.SessionNotFound:
            sessie = self.db.get(IntakeSessie, chat.sessie_id)
            self.lost = "moved" if sessie is not None and sessie.expires_at >= clock.now() else "gone"
            chat.sessie_id = chat.sessie_token_hash = None
            return None

    def _start(self, chat: TelegramChat) -> None:
        body = intake.start(db_session=self.db, ctx=self.ctx, language=chat.language, channel="telegram")
        self._attach(chat, body["session_id"], body["token"])
        self._turn(chat, body, offer_languages=True)

    def _attach(self, chat: TelegramChat, sessie_id: str, token: str) -> None:
        chat.sessie_id, chat.sessie_token_hash = sessie_id, intake.hash_token(token)
        sessie = self.db.get(IntakeSessie, sessie_id)
        if sessie is not None:
            sessie.telegram_chat_id = chat.chat_id

    def _intake(self, chat: TelegramChat, text: str, event: ChatEvent) -> None:
        """One message or button value to the intake of this chat (starting one on first contact)."""
        if self._session(chat) is None:
            if self.lost == "moved":
                self._say(chat, say("moved", chat.language))
                return
            self._start(chat)  # first contact, or the old intake expired: the consent question
            return
        try:
            body = intake.handle_message(db_session=self.db, ctx=self.ctx, sessie_id=chat.sessie_id or "",
                                         token=None, token_hash=chat.sessie_token_hash, text=text,
                                         client_message_id=f"telegram:{event.update_id}")
        except intake.SessionBlocked:
            self._say(chat, say("blocked", chat.language))
            return
        if body.get("erased"):
            chat.sessie_id = chat.sessie_token_hash = None
        self._turn(chat, body)

    def _linked_text(self, chat: TelegramChat, text: str) -> bool:
        """Free text of an invaller's or coach's chat without an intake: an answer to its offers
        (loket.telegram.linked). False when the chat is linked to nobody, or has an intake going."""
        if chat.sessie_id:
            return False
        invaller, coach = linked.linked_owner(self.db, chat.chat_id)
        if invaller is None and coach is None:
            return False
        answer = linked.reply(ctx=self.ctx, db_session=self.db, chat_id=chat.chat_id, text=text,
                              language=chat.language, invaller=invaller, coach=coach)
        for message, buttons in answer.messages:
            self._say(chat, message, buttons)
        return True

    # ------------------------------------------------------------------ the loopbaangesprek chat (/gesprek)

    def _gesprek(self, chat: TelegramChat) -> LoopbaangesprekChat | None:
        """The loopbaangesprek chat this chat is in, or None (an expired or removed one is let go)."""
        if not chat.gesprek_id or not chat.gesprek_token_hash:
            return None
        try:
            return gesprek_chat.authorise(db_session=self.db, chat_id=chat.gesprek_id, token=None,
                                          token_hash=chat.gesprek_token_hash)
        except gesprek_chat.ChatNotFound:
            chat.gesprek_id = chat.gesprek_token_hash = None
            return None

    def _start_gesprek(self, chat: TelegramChat) -> None:
        """/gesprek: continue the open request, or start a new loopbaangesprek chat."""
        gesprek = self._gesprek(chat)
        if gesprek is not None:
            body = gesprek_chat.prompt(ctx=self.ctx, db_session=self.db, chat=gesprek)
            self._turn(chat, body, before=[say("gesprek_already", chat.language)])
            return
        body = gesprek_chat.start(ctx=self.ctx, db_session=self.db, language=chat.language, channel="telegram")
        chat.gesprek_id, chat.gesprek_token_hash = body["session_id"], gesprek_chat.hash_token(body["token"])
        self._turn(chat, body)

    def _gesprek_message(self, chat: TelegramChat, text: str, event: ChatEvent) -> None:
        """One message or button value to the loopbaangesprek chat; when its request is done, the chat
        lets go of it and goes back to the brede intake."""
        gesprek = self._gesprek(chat)
        if gesprek is None:
            self._intake(chat, text, event)
            return
        body = gesprek_chat.handle(ctx=self.ctx, db_session=self.db, chat=gesprek, text=text)
        after: list[str] = []
        if body.get("done"):
            chat.gesprek_id = chat.gesprek_token_hash = None
            after.append(say("gesprek_back", body.get("language") or chat.language))
        self._turn(chat, body)
        for text_after in after:
            self._say(chat, text_after)

    def _leave_gesprek(self, chat: TelegramChat) -> None:
        """Stop an open loopbaangesprek chat in this chat (its answers stay until it expires)."""
        if self._gesprek(chat) is not None:
            chat.gesprek_id = chat.gesprek_token_hash = None
            self._say(chat, say("gesprek_left", chat.language))

    # ------------------------------------------------------------------ commands

    def _command(self, chat: TelegramChat, event: ChatEvent) -> Reaction:
        name, rest = event.command or "", clean(event.text)[:200]
        if name == "gesprek":
            self._start_gesprek(chat)
        elif name == "stop" and self._gesprek(chat) is not None:
            self._gesprek_message(chat, "stop", event)
        elif name == "opnieuw" and self._gesprek(chat) is not None:
            chat.gesprek_id = chat.gesprek_token_hash = None
            self._start_gesprek(chat)
        elif name == "start":
            self._leave_gesprek(chat)
            if rest:
                self._code(chat, rest, event)
            elif (sessie := self._session(chat)) is not None and not sessie.done:
                body = intake.prompt(db_session=self.db, ctx=self.ctx, sessie=sessie)
                self._turn(chat, body, before=[say("already_started", chat.language)])
            else:
                self._start(chat)
        elif name == "code":
            if rest:
                self._code(chat, rest, event)
            else:
                self._say(chat, say("code_missing", chat.language))
        elif name == "taal":
            self._language(chat, rest.lower()[:2], event)
        elif name == "help":
            self._say(chat, say("commands", chat.language))
        elif name == "verwijder":
            self._erase(chat, event)
        elif name in ENGINE_COMMANDS:
            if self._session(chat) is None:
                self._say(chat, say("no_session", chat.language))
            else:
                self._intake(chat, ENGINE_COMMANDS[name], event)
        else:
            self._say(chat, say("unknown_command", chat.language) + "\n\n" + say("commands", chat.language))
        return Reaction()

    def _code(self, chat: TelegramChat, code: str, event: ChatEvent) -> None:
        """A link code of an invaller or coach, or a resume code of an intake (from the website)."""
        if service.looks_like_koppelcode(code):
            owner = service.redeem_koppelcode(db_session=self.db, code=code, chat_id=chat.chat_id)
            if owner is not None:
                from loket.coach.models import Coach

                key = "linked_coach" if isinstance(owner, Coach) else "linked_invaller"
                self._say(chat, say(key, chat.language, naam=owner.naam))
                return
        else:
            body = intake.resume(db_session=self.db, ctx=self.ctx, code=code)
            if body is not None:
                self._attach(chat, body["session_id"], body["token"])
                self._turn(chat, body, before=[say("resumed", body.get("language") or chat.language)])
                return
        self._say(chat, say("code_unknown", chat.language))

    def _language(self, chat: TelegramChat, language: str, event: ChatEvent) -> None:
        if language not in LANGUAGES:
            self._say(chat, say("choose_language", chat.language), LANGUAGE_BUTTONS)
            return
        chat.language = language
        sessie = self._session(chat)
        if sessie is None:
            self._say(chat, say("language_set", language))
            return
        body = intake.set_language(db_session=self.db, ctx=self.ctx, sessie=sessie, language=language)
        self._turn(chat, body)

    def _erase(self, chat: TelegramChat, event: ChatEvent) -> None:
        """/verwijder: erase the intake through the engine (with its receipt), then forget the chat."""
        language = chat.language
        chat_id = chat.chat_id
        gesprek = self._gesprek(chat)
        if gesprek is not None:  # an unfinished request: its answers go too
            chat.gesprek_id = chat.gesprek_token_hash = None
            self.db.delete(gesprek)
        if self._session(chat) is not None:
            self._intake(chat, ENGINE_COMMANDS["verwijder"], event)
        service.forget_chat(db_session=self.db, chat_id=chat_id)
        service.queue_parts(db_session=self.db, chat_id=chat_id, parts=[part(say("erased_chat", language))])

    # ------------------------------------------------------------------ buttons

    def _button(self, chat: TelegramChat, event: ChatEvent) -> Reaction:
        data = event.text
        if data.startswith("tg:taal:"):
            self._language(chat, data.removeprefix("tg:taal:"), event)
            return Reaction()
        action = actions.parse(data)
        if action is not None:
            name, object_id = action
            outcome = actions.run(db_session=self.db, ctx=self.ctx, name=name, object_id=object_id,
                                  chat_id=chat.chat_id, language=chat.language)
            if outcome.text:
                self._say(chat, outcome.text, outcome.buttons)
            return Reaction(toast=outcome.toast, mark_choice=outcome.done)
        gesprek = self._gesprek(chat)
        if gesprek is not None:
            offered: list[str] = []
            if data.startswith("h:"):  # a value too long for Telegram: find it among the current buttons
                turn = gesprek_chat.prompt(ctx=self.ctx, db_session=self.db, chat=gesprek)
                offered = [str(q.get("value")) for q in (turn.get("expecting") or {}).get("choices") or []]
            self._gesprek_message(chat, resolve_callback(data, offered), event)
            return Reaction()
        sessie = self._session(chat)
        offered = (sessie.state or {}).get("offered", []) if sessie is not None else []
        self._intake(chat, resolve_callback(data, offered), event)
        return Reaction()


# ----------------------------------------------------------------------------- processing an update


def process_update(ctx: AppContext, update_id: int) -> bool:
    """Process one stored update exactly once; True when it was processed now.

    The claim, the desk's work, the queued replies and the 'processed' mark commit together. When a handler
    fails, all of it rolls back and the failure is recorded; the update is tried again later.
    """
    from loket.telegram.runtime import runtime_of

    desk: LoketDesk | None = None
    try:
        with transaction(ctx.sessions) as db:
            row = service.claim_update(db_session=db, update_id=update_id)
            if row is None:
                return False
            payload = dict(row.payload or {})
            desk = LoketDesk(ctx, db)
            runtime_of(ctx).run(lambda app: dispatch(app, payload, desk))
            service.mark_processed(db_session=db, row=row)
    except Exception as exc:  # noqa: BLE001 - recorded on the update and retried; never lost
        error = exc.error if isinstance(exc, HandlerFailed) else exc
        log.exception("telegram update %s failed", update_id, exc_info=error)
        _record_failure(ctx, update_id, f"{type(error).__name__}: {error}")
        return False
    for chat_id in desk.chats:
        deliver_chat(ctx, chat_id)
    return True


def _record_failure(ctx: AppContext, update_id: int, error: str) -> None:
    with transaction(ctx.sessions) as db:
        row = service.record_failure(db_session=db, update_id=update_id, error=error)
        if row is not None and row.status == "failed":
            chat_id = service.chat_of_payload(row.payload or {})
            if chat_id:
                chat = db.get(TelegramChat, chat_id)
                service.queue_parts(db_session=db, chat_id=chat_id,
                                    parts=[part(say("failed", chat.language if chat else "nl"))])
            row.payload = {}  # given up: keep the error for staff, not what the person wrote
    if row is not None and row.status == "failed" and chat_id:
        deliver_chat(ctx, chat_id)


def deliver_chat(ctx: AppContext, chat_id: str) -> int:
    """Send this chat's queued replies now, in order (the outbox job retries whatever is left)."""
    from loket.outbox.service import deliver_one
    from loket.telegram.outbound import ensure_telegram_sender

    ensure_telegram_sender(ctx)
    sent = 0
    try:
        with transaction(ctx.sessions) as db:
            for message in service.queued_for_chat(db_session=db, chat_id=chat_id):
                deliver_one(ctx, message)
                if message.status != "sent":
                    break  # keep the order: the rest waits for this one
                sent += 1
    except Exception:  # noqa: BLE001 - the messages stay queued for the outbox job
        log.exception("delivering to telegram chat %s failed", chat_id)
    return sent


def process_due(ctx: AppContext, *, limit: int = 100) -> int:
    """Process every waiting update whose turn it is (after a crash, a restart or a failed try)."""
    with ctx.sessions() as db:
        due = service.due_updates(db_session=db, limit=limit)
    done = 0
    for update_id in due:
        try:
            done += process_update(ctx, update_id)
        except Exception:  # noqa: BLE001 - one bad update never stops the others
            log.exception("telegram update %s could not be processed", update_id)
    return done

