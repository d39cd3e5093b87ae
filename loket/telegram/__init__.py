"""The Telegram channel: webhook and long polling, the outbox sender, and linking invallers and coaches."""
