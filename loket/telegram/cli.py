"""``loket telegram …``: poll for a local run, register or remove the webhook."""

from __future__ import annotations

from typing import Annotated

import typer

from loket.cli_common import _migrate, _settings

app = typer.Typer(help="The Telegram bot: long polling for a local run, webhook for production.",
                  no_args_is_help=True)


def _ctx():  # type: ignore[no-untyped-def]
    from loket.app import create_app

    settings = _settings()
    if settings.telegram_token is None:
        typer.echo("loket: set LOKET_TELEGRAM_TOKEN to the token @BotFather gave you.", err=True)
        raise typer.Exit(2)
    _migrate(settings)
    return create_app(settings.model_copy(update={"scheduler": False})).state.ctx


@app.command("poll")
def poll_cmd(
    timeout: Annotated[int, typer.Option(help="Seconds one long poll waits for updates.")] = 25,
) -> None:
    """Fetch updates by long polling (removes a webhook first). For a local run without a public address."""
    from loket.telegram.polling import poll

    ctx = _ctx()
    try:
        poll(ctx, timeout=timeout, say=typer.echo)
    except KeyboardInterrupt:
        typer.echo("Stopped.")


@app.command("set-webhook")
def set_webhook_cmd(
    url: Annotated[str | None, typer.Option(help="Webhook address; default LOKET_BASE_URL + /telegram/webhook.")]
    = None,
) -> None:
    """Tell Telegram to send updates to this service, with LOKET_TELEGRAM_WEBHOOK_SECRET as secret header."""
    from loket.telegram.polling import set_webhook

    try:
        address = set_webhook(_ctx(), url)
    except ValueError as exc:
        typer.echo(f"loket: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Webhook set: {address}")


@app.command("delete-webhook")
def delete_webhook_cmd() -> None:
    """Stop the webhook (for example before polling elsewhere)."""
    from loket.telegram.polling import delete_webhook

    delete_webhook(_ctx())
    typer.echo("Webhook removed.")
