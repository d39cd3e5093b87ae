"""Outbox: messages to send (e-mail, Telegram), with status and retries."""
