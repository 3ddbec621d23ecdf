"""Roster import figures (issue 15 §4) on a database of its own: openpyxl's read of a clean roster
against the import's dry run and confirm step, in seconds and queries per hundred rows (JSON).

    .venv/bin/python scripts/bench_roster_import.py --database sqlite --rows 1500
    .venv/bin/python scripts/bench_roster_import.py --database postgres://postgres@127.0.0.1:5432/renda_roster_bench

The database is made afresh (a SQLite file under var/, or the named local PostgreSQL database, dropped
and created) and migrated; the figures themselves come from renda.deputies.bench, which undoes
everything it writes. `--keep` reuses the database as it is (already migrated).
"""

import argparse
import json
import os
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(database: str, keep: bool) -> str:
    if database == "sqlite":
        path = ROOT / "var" / "bench_roster.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    parsed = urllib.parse.urlparse(database)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("只在本机数据库上做性能测试")
    if not keep:
        import psycopg

        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a local postgres:// URL")
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = prepare(args.database, args.keep)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not args.keep:
        call_command("migrate", interactive=False, verbosity=0)
    from renda.deputies.bench import roster_import_figures

    figures = roster_import_figures(rows=args.rows, repeat=args.repeat)
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
