"""The ``loket`` command: serve, migrate, seed the demo region, check the knowledge base, benchmarks."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import func, select

from knowledge.errors import KnowledgeErrors
from loket.bestuur import cli as bestuur_cli
from loket.cli_common import _migrate, _settings
from loket.settings import Settings
from loket.telegram import cli as telegram_cli

app = typer.Typer(help="Onderwijsloket Midden-Nederland.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks that print figures (ratios against a baseline of the same run).",
                        no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(bench_app, name="bench")
app.add_typer(telegram_cli.app, name="telegram")
app.add_typer(bestuur_cli.app, name="bestuur")

DEMO_STAFF_EMAIL = "medewerker@loket.example"
DEMO_PASSWORD_FILE = "demo-staff-password.txt"


def _knowledge(directory: Path | None = None):  # type: ignore[no-untyped-def]
    from knowledge.loader import load_knowledge

    try:
        return load_knowledge(directory)
    except KnowledgeErrors as exc:
        typer.echo(f"loket: the knowledge base has {len(exc.errors)} problem(s):", err=True)
        for error in exc.errors:
            typer.echo(f"  {error}", err=True)
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema (Alembic migrations)."""
    settings = _settings()
    _migrate(settings)
    typer.echo(f"Database is up to date: {_safe_url(settings)}")


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)


def seed_demo_region(settings: Settings, *, scale: str = "region", seed: int = 2026) -> dict[str, int] | None:
    """Seed the demo region into an empty database; return counts, or None when data was already there."""
    from loket import clock
    from loket.bestuur.models import Bestuur
    from loket.db import make_engine, make_sessionmaker, transaction
    from loket.demo import generate
    from loket.demo import seed as seed_rows

    knowledge = _knowledge()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        factory = make_sessionmaker(engine)
        with transaction(factory) as session:
            if session.scalar(select(func.count()).select_from(Bestuur)):
                return None
            data = generate(knowledge.region, today=clock.now().date(), scale=scale, seed=seed)  # type: ignore[arg-type]
            counts = seed_rows(session, data)
            if scale == "region":  # the monitor shows the demo's own figures at once (the nightly job redoes it)
                from types import SimpleNamespace

                from loket.ambitie.service import recompute

                recompute(db_session=session, ctx=SimpleNamespace(knowledge=knowledge))  # type: ignore[arg-type]
            return counts
    finally:
        engine.dispose()


DEMO_ACCOUNTS = (
    # (e-mail, name, role, bestuur_id, coach_id): one login per kind of user of the demo region.
    (DEMO_STAFF_EMAIL, "Demo medewerker", "coordinator", None, None),
    ("beheer@loket.example", "Demo beheerder", "beheerder", None, None),
    ("bestuur@loket.example", "Demo schoolbestuur", "bestuur", "bestuur-0001", None),
    ("coach@loket.example", "Demo coach", "coach", None, "coach-001"),
)


def ensure_demo_staff(settings: Settings) -> str | None:
    """Make sure the demo accounts exist (one password for all); return it when we know it (local demo only)."""
    from loket.bestuur.models import Bestuur
    from loket.coach.models import Coach
    from loket.db import make_engine, make_sessionmaker, transaction
    from loket.medewerker import service

    path = settings.data_dir / DEMO_PASSWORD_FILE
    password = path.read_text().strip() if path.exists() else secrets.token_urlsafe(12)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            for email, naam, rol, bestuur_id, coach_id in DEMO_ACCOUNTS:
                if service.get_by_email(db_session=session, email=email) is not None:
                    continue
                if bestuur_id and session.get(Bestuur, bestuur_id) is None:
                    continue
                if coach_id and session.get(Coach, coach_id) is None:
                    continue
                service.create(db_session=session, email=email, naam=naam, rol=rol, password=password,
                               bestuur_id=bestuur_id, coach_id=coach_id)
                if not path.exists():
                    path.write_text(password)
                    path.chmod(0o600)
    finally:
        engine.dispose()
    return path.read_text().strip() if path.exists() else None


@app.command("seed-demo")
def seed_demo(
    scale: Annotated[str, typer.Option(
        help="region (about 300 schools), national (6,000 schools) or national10 (60,000 schools, 200,000 "
             "vacatures, 100,000 invallers)")] = "region",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same region.")] = 2026,
) -> None:
    """Fill an empty database with a realistic demo region."""
    from loket.demo import SCALES

    if scale not in SCALES:
        typer.echo("loket: --scale must be " + ", ".join(f"'{s}'" for s in SCALES), err=True)
        raise typer.Exit(2)
    settings = _settings()
    _migrate(settings)
    counts = seed_demo_region(settings, scale=scale, seed=seed)
    if counts is None:
        typer.echo("The database already holds besturen; nothing seeded.")
        return
    typer.echo("Seeded: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo region into an empty database.")] = False,
    workers: Annotated[int, typer.Option(help="Number of worker processes.")] = 1,
) -> None:
    """Run the loket web service (migrates the database first)."""
    import uvicorn

    settings = _settings()
    _knowledge()  # fail early, with every problem listed
    _migrate(settings)
    if demo:
        counts = seed_demo_region(settings)
        if counts:
            typer.echo("Demo region seeded: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
        password = ensure_demo_staff(settings)
        shown = f" (password for all: {password})" if password else ""
        typer.echo(f"Demo logins at http://{host}:{port}/login{shown}")
        for email, _naam, rol, _b, _c in DEMO_ACCOUNTS:
            typer.echo(f"  {rol:<12} {email}")
    typer.echo(f"Loket runs at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run("loket.asgi:app", host=host, port=port, workers=workers, log_level="info",
                proxy_headers=True)


@app.command("check-knowledge")
def check_knowledge(
    directory: Annotated[Path | None, typer.Option("--dir", help="Knowledge folder to check.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Check every knowledge file; print a summary or every problem (file, entry, reason).

    Fails (exit 1) when a text lacks a translation in one of the newcomer languages (ar, uk, tr), and says
    which languages a native speaker has not yet reviewed (``knowledge/languages.yaml``)."""
    from knowledge.translations import missing_translations, texts_count

    knowledge = _knowledge(directory)
    summary = knowledge.summary()
    routes = [
        {"id": r.id, "title": r.title.nl, "sources": len(r.sources), "unsure": len(r.unsure)}
        for r in knowledge.routes.routes
    ]
    missing = missing_translations(knowledge.directory)
    languages = knowledge.languages.languages if knowledge.languages else []
    translations = {
        lang.code: {"name": lang.name_nl, "reviewed": lang.reviewed,
                    "missing": sum(1 for m in missing if m.language == lang.code)}
        for lang in languages
    }
    if as_json:
        typer.echo(json.dumps({"summary": summary, "routes": routes, "texts": texts_count(knowledge.directory),
                               "translations": translations,
                               "missing_translations": [m.__dict__ for m in missing]},
                              ensure_ascii=False, indent=2))
        if missing:
            raise typer.Exit(1)
        return
    typer.echo(f"Knowledge base OK: {knowledge.directory}")
    for key, value in summary.items():
        typer.echo(f"  {key}: {value}")
    typer.echo("Routes (id, sources, UNSURE facts):")
    for r in routes:
        typer.echo(f"  {r['id']:<32} {r['sources']} source(s)  {r['unsure']} unsure  {r['title']}")
    typer.echo(f"Translations ({texts_count(knowledge.directory)} texts):")
    for code, info in translations.items():
        review = "reviewed" if info["reviewed"] else "NOT YET REVIEWED by a native speaker"
        typer.echo(f"  {code} {info['name']:<12} {info['missing']} missing  {review}")
    if missing:
        typer.echo(f"{len(missing)} missing translation(s):", err=True)
        for m in missing:
            typer.echo(f"  {m}", err=True)
        raise typer.Exit(1)


@app.command("scheduler")
def run_scheduler(
    once: Annotated[bool, typer.Option("--once", help="Run every job once and exit.")] = False,
) -> None:
    """Run the periodic jobs in a process of their own (for a setup with several web processes)."""
    import time

    from loket import scheduler
    from loket.app import create_app

    settings = _settings()
    _migrate(settings)
    application = create_app(settings.model_copy(update={"scheduler": False}))
    ctx = application.state.ctx
    if once:
        scheduler.run_all_due(ctx)
        return
    leader = scheduler.Leader(ctx)
    leader.start()
    typer.echo("Scheduler runs; it takes the lead when no other loket process has it. Ctrl-C stops it.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        leader.stop()


def _check_bench_scale(scale: str) -> None:
    if scale not in ("national", "national10"):
        typer.echo("loket: --scale must be 'national' or 'national10'", err=True)
        raise typer.Exit(2)


@bench_app.command("advice")
def bench_advice_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    repeats: Annotated[int, typer.Option(help="Advices to time.")] = 300,
    scale: Annotated[str, typer.Option(help="national (20,000 vacatures) or national10 (200,000).")] = "national",
) -> None:
    """Time one advice over national-size demo data (20,000 vacatures) against a bare rapidfuzz extract."""
    from loket.bench.advice import bench_advice

    _check_bench_scale(scale)
    result = bench_advice(_knowledge(), repeats=repeats, scale=scale)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        typer.echo(f"{key:>26}: {value}")


@bench_app.command("http")
def bench_http_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    concurrency: Annotated[int, typer.Option(help="Simulated people chatting at once.")] = 100,
    seconds: Annotated[float, typer.Option(help="Length of each of the three phases, in seconds.")] = 20.0,
    think_ms: Annotated[float, typer.Option(help="Mean pause of a person before every message.")] = 1500.0,
    database_url: Annotated[str | None, typer.Option(help="Run against this database instead of SQLite.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server worker processes (use with PostgreSQL).")] = 1,
) -> None:
    """Drive concurrent simulated intakes over HTTP on loopback; compare with a bare JSON endpoint."""
    from loket.bench.http import bench_http

    result = bench_http(concurrency=concurrency, seconds=seconds, think_ms=think_ms, database_url=database_url,
                        workers=workers)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        typer.echo(f"{key:>22}: {value}")


@bench_app.command("dialogue")
def bench_dialogue_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    corpus: Annotated[Path | None, typer.Option(help="Folder of dialogue files (default: tests/dialogues).")] = None,
    part: Annotated[str | None, typer.Option(help="Only this sub-folder of the corpus, e.g. heldout.")] = None,
    via: Annotated[str, typer.Option(help="http (the public API, default) or engine (the pure engine).")] = "http",
) -> None:
    """Replay the dialogue corpus: finished, stuck, slot accuracy, advice accuracy, median turns."""
    from loket.bench.dialogue import bench_dialogue

    if via not in ("http", "engine"):
        typer.echo("loket: --via is http or engine", err=True)
        raise typer.Exit(2)
    result = bench_dialogue(_knowledge(), corpus=corpus, part=part, via=via)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        if key != "failures":
            typer.echo(f"{key:>22}: {value}")
    for failure in result["failures"]:
        typer.echo(f"- {failure['id']}: " + "; ".join(failure["problems"]))


@bench_app.command("invalpool")
def bench_invalpool_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    repeats: Annotated[int, typer.Option(help="Rankings to time.")] = 300,
    scale: Annotated[str, typer.Option(help="national (10,000 invallers) or national10 (100,000).")] = "national",
) -> None:
    """Rank one vraag against 10,000 invallers and plan 500 vragen, next to numpy/SciPy baselines."""
    from loket.bench.invalpool import bench_invalpool

    _check_bench_scale(scale)
    result = bench_invalpool(_knowledge(), repeats=repeats, scale=scale,
                             batch_repeats=3 if scale == "national" else 1)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        typer.echo(f"{key:>32}: {value}")


def main() -> None:  # pragma: no cover - console entry for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
