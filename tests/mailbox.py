"""A local SMTP server for tests (aiosmtpd): mail that loket sends arrives here."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Collect:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalSmtp:
    """Start/stop a local SMTP server; ``settings_overrides`` points loket at it."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._handler = _Collect()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    @property
    def settings_overrides(self) -> dict[str, object]:
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port}

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
