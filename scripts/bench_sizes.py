"""`make bench`: the benchmark on PostgreSQL at the demo size and at seed_scale sizes, and the growth.

For each size it makes sure a database holds that size's data, runs `manage.py bench` on it
(var/bench/<size>.json and .md) and finally prints `bench --compare` from the demo to each larger size
(issue 15 §5's targets: growth ≤ 1.3×, HTML ≤ 150 KB, pages within 2× of their own SQL over 20 ms).

    .venv/bin/python scripts/bench_sizes.py --pg postgres://postgres@127.0.0.1:5432/renda
    .venv/bin/python scripts/bench_sizes.py --sizes demo small          # skip the full size
    .venv/bin/python scripts/bench_sizes.py --use full=renda_scale_full  # bench a database as it is

Databases: <name>_bench_demo (migrate + seed_demo, which loads the regions), then
<name>_bench_small and <name>_bench_full, each a copy of the demo database (CREATE DATABASE …
TEMPLATE) plus `seed_scale` with that size's arguments. A database whose comment says it was seeded
with the same arguments is reused (seeding the full size takes long); the comment is written only
when seeding finished, so an interrupted seed is started again. `--use size=db` benches an existing
database instead, inside a rolled-back transaction (nothing it writes is kept).
Only databases on 127.0.0.1/localhost are touched.
"""

import argparse
import os
import shlex
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT = ROOT / "var" / "bench"
SIZES = {
    "demo": None,  # seed_demo only
    "small": "--scale 0.05",
    "full": "",  # seed_scale's defaults: the province at its real size
}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlparse(url)._replace(path=f"/{name}").geturl()


def marker(size: str, args: str | None) -> str:
    seeded = "seed_demo" if args is None else f"seed_demo + seed_scale {args}".strip()
    return f"renda-bench {size}: {seeded}"


def comment(admin_url: str, name: str) -> str | None:
    with connect(admin_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return None if row is None else (row[0] or "")


def manage(url: str, *args: str, log: Path | None = None, extra_env: dict | None = None) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONWARNINGS": "ignore",
        **(extra_env or {}),
    }
    started = time.monotonic()
    if log is None:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env)
    else:
        with log.open("a", encoding="utf-8") as out:
            result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out)
    if result.returncode:
        raise SystemExit(
            f"manage.py {' '.join(args)} 失败（退出码 {result.returncode}）" + (f"，见 {log}" if log else "")
        )
    say(f"manage.py {' '.join(args)}：{time.monotonic() - started:.0f} 秒")


def migrations_applied(url: str) -> int:
    """How many migrations the database has applied (0 before the first migrate)."""
    with connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM django_migrations").fetchone()
    return row[0]


def ensure(admin_url: str, base: str, size: str, args: str | None) -> str:
    """The database holding `size`, seeded unless it already is; returns its URL."""
    name = f"{base}_bench_{size}"
    url = with_database(admin_url, name)
    wanted = marker(size, args)
    if comment(admin_url, name) == wanted:
        say(f"{name}：已有数据（{wanted}），直接使用")
        applied = migrations_applied(url)
        manage(url, "migrate", "--noinput", "-v", "0")
        if migrations_applied(url) != applied:
            # A migration that backfills rewrites whole tables (the region keys: every duty record);
            # until they are vacuumed, counts read the dead rows too (docs/architecture.md "Measured").
            with connect(url) as conn:
                conn.execute("VACUUM (ANALYZE)")
            say(f"{name}：已迁移，VACUUM (ANALYZE) 完成")
        return url
    log = OUT / f"{name}.log"
    log.unlink(missing_ok=True)
    if args is None:
        say(f"{name}：新建，migrate + seed_demo（日志 {log}）")
        with connect(admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        manage(url, "migrate", "--noinput", "-v", "0", log=log)
        manage(url, "seed_demo", log=log)
    else:
        demo = f"{base}_bench_demo"
        ensure(admin_url, base, "demo", None)
        say(f"{name}：复制 {demo}，seed_scale {args}（日志 {log}）")
        with connect(admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{demo}"')
        manage(url, "migrate", "--noinput", "-v", "0", log=log)
        manage(url, "seed_scale", *shlex.split(args), log=log)
    with connect(url) as conn:
        conn.execute("VACUUM (ANALYZE)")
    with connect(admin_url) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/renda"))
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--small-args", default=SIZES["small"], help="seed_scale 的小规模参数")
    parser.add_argument(
        "--full-args", default=SIZES["full"], help="seed_scale 的全规模参数（默认即其默认值）"
    )
    parser.add_argument("--use", action="append", default=[], metavar="SIZE=DB", help="直接测量已有的数据库")
    parser.add_argument("--repeat", default="10")
    parser.add_argument("--seed-only", action="store_true", help="只准备数据库，不测量")
    args = parser.parse_args()
    parsed = urllib.parse.urlparse(args.pg)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("只在本机数据库上测量")
    base = parsed.path.lstrip("/") or "renda"
    admin_url = parsed._replace(path="/postgres").geturl()
    seeds = {"demo": None, "small": args.small_args, "full": args.full_args}
    given = dict(item.split("=", 1) for item in args.use)
    OUT.mkdir(parents=True, exist_ok=True)
    reports = {}
    for size in args.sizes:
        if size in given:
            url, rollback = with_database(admin_url, given[size]), ["--rollback"]
            say(f"{size}：使用已有数据库 {given[size]}（在回滚的事务里测量）")
        else:
            url, rollback = ensure(admin_url, base, size, seeds[size]), []
            # What the periodic job keeps up to date in production: the roll-up's per-county figures.
            manage(url, "rollup_refresh", "-v", "0")
        if args.seed_only:
            continue
        report = OUT / f"{size}.json"
        table = OUT / f"{size}.md"
        with table.open("w", encoding="utf-8") as out, (OUT / f"{size}.log").open("w") as err:
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
            env.update({"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "PYTHONWARNINGS": "ignore"})
            started = time.monotonic()
            command = ["manage.py", "bench", "--repeat", args.repeat, "--json", str(report), "--label", size]
            result = subprocess.run(
                [PYTHON, *command, *rollback],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
            )
            if result.returncode:
                raise SystemExit(f"{size}：manage.py bench 失败（退出码 {result.returncode}），见 {err.name}")
        say(f"{size}：bench {time.monotonic() - started:.0f} 秒 → {report}")
        print(f"\n## {size}\n\n{table.read_text(encoding='utf-8')}\n", flush=True)
        reports[size] = report
    # The demo's figures from this run, or from an earlier one (--sizes small full).
    demo = reports.get("demo", OUT / "demo.json")
    if demo.exists():
        for size, report in reports.items():
            if size == "demo":
                continue
            growth = OUT / f"demo-to-{size}.md"
            with growth.open("w", encoding="utf-8") as out:
                subprocess.run(
                    [PYTHON, "manage.py", "bench", "--compare", str(demo), str(report)],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONWARNINGS": "ignore"},
                    stdout=out,
                    check=True,
                )
            print(f"\n## demo → {size}\n\n{growth.read_text(encoding='utf-8')}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
