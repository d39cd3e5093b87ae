"""``loket bestuur …``: API keys and the callback address of a bestuur, for a beheerder at the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from loket.cli_common import _migrate, _settings

app = typer.Typer(help="School boards: API keys and callbacks.", no_args_is_help=True)
key_app = typer.Typer(help="API keys of a bestuur (shown once, stored hashed).", no_args_is_help=True)
callback_app = typer.Typer(help="The bestuur's callback address (signed POSTs on every status change).",
                           no_args_is_help=True)
app.add_typer(key_app, name="api-key")
app.add_typer(callback_app, name="callback")

ACTOR = "cli"


def _run(work):  # type: ignore[no-untyped-def]
    from loket.db import make_engine, make_sessionmaker, transaction
    from loket.errors import LoketError
    from loket.i18n import text

    settings = _settings()
    _migrate(settings)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with transaction(make_sessionmaker(engine)) as db:
            return work(db)
    except LoketError as exc:
        typer.echo("loket: " + text(exc.key, "nl", **exc.values), err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


@key_app.command("create")
def create(bestuur_id: Annotated[str, typer.Argument(help="The bestuur's id, e.g. bestuur-0001.")],
           naam: Annotated[str, typer.Option("--naam", help="What the key is for, e.g. 'AFAS'.")]) -> None:
    """Make a new key; the key itself is the last line printed (keep it safe: it is not shown again)."""
    from loket.bestuur.koppeling import create_key

    row, key = _run(lambda db: create_key(db_session=db, bestuur_id=bestuur_id, naam=naam, actor=ACTOR))
    typer.echo(f"Sleutel '{row.naam}' ({row.id}) voor {bestuur_id}. Hij wordt maar één keer getoond:")
    typer.echo(key)


@key_app.command("list")
def list_keys(bestuur_id: Annotated[str, typer.Argument(help="The bestuur's id.")]) -> None:
    """The bestuur's keys: id, name, start of the key, last use, revoked."""
    from loket.bestuur.koppeling import keys_of

    def rows(db):  # type: ignore[no-untyped-def]
        return [(k.id, k.naam, k.prefix, k.laatst_gebruikt_at, k.ingetrokken_at)
                for k in keys_of(db_session=db, bestuur_id=bestuur_id)]

    for sleutel_id, naam, prefix, used, revoked in _run(rows):
        state = f"ingetrokken {revoked:%Y-%m-%d}" if revoked else f"laatst gebruikt {used:%Y-%m-%d %H:%M}" \
            if used else "nog niet gebruikt"
        typer.echo(f"{sleutel_id}  {prefix}…  {naam}  ({state})")


@key_app.command("revoke")
def revoke(bestuur_id: Annotated[str, typer.Argument(help="The bestuur's id.")],
           sleutel_id: Annotated[str, typer.Argument(help="The key's id (see 'list').")]) -> None:
    """Revoke a key; it stops working at once."""
    from loket.bestuur.koppeling import revoke_key

    _run(lambda db: revoke_key(db_session=db, bestuur_id=bestuur_id, sleutel_id=sleutel_id, actor=ACTOR))
    typer.echo(f"Sleutel {sleutel_id} is ingetrokken.")


@callback_app.command("set")
def set_callback(bestuur_id: Annotated[str, typer.Argument(help="The bestuur's id.")],
                 url: Annotated[str, typer.Argument(help="An https address (http only on this machine).")]) -> None:
    """Register the callback address; the signing secret is the last line printed (shown once)."""
    from loket.bestuur.koppeling import set_callback as set_it

    _, secret = _run(lambda db: set_it(db_session=db, bestuur_id=bestuur_id, url=url, actor=ACTOR))
    typer.echo(f"Callbacks voor {bestuur_id} gaan naar {url}. Het geheim wordt maar één keer getoond:")
    typer.echo(secret)
