"""E-mail through SMTP (settings ``LOKET_SMTP_*``), as the outbox's ``email`` sender."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from loket.context import AppContext
from loket.outbox.models import OutboxBericht
from loket.outbox.service import PermanentFailure, register_sender


def build_message(ctx: AppContext, message: OutboxBericht) -> EmailMessage:
    """The e-mail for an outbox message; ``payload.attachments`` are added (e.g. an .ics invite)."""
    mail = EmailMessage()
    mail["From"] = ctx.settings.smtp_from
    mail["To"] = message.recipient
    mail["Subject"] = message.subject or "Bericht van het Onderwijsloket"
    mail["Message-ID"] = f"<{message.id}@loket>"
    mail.set_content(message.body)
    for attachment in message.payload.get("attachments", []):
        maintype, _, subtype = attachment.get("content_type", "application/octet-stream").partition("/")
        content = attachment["content"].encode() if isinstance(attachment["content"], str) else attachment["content"]
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment["filename"])
    return mail


def send_email(ctx: AppContext, message: OutboxBericht) -> None:
    """Send one outbox message by SMTP."""
    s = ctx.settings
    if "@" not in message.recipient:
        raise PermanentFailure(f"not an e-mail address: {message.recipient!r}")
    with smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=20) as smtp:
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_user and s.smtp_password:
            smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
        smtp.send_message(build_message(ctx, message))


def ensure_mail_sender(ctx: AppContext) -> None:
    """Register SMTP as the e-mail sender when a host is configured (else mail waits in the outbox)."""
    if ctx.settings.smtp_host:
        register_sender("email", send_email)
