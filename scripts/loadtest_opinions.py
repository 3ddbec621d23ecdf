"""Bounded load test of the public opinion form (issue 13 §5): N clients for S seconds on loopback.

It prepares a fresh database (SQLite file under var/, or a PostgreSQL database of its own), starts
gunicorn on a free 127.0.0.1 port with that database, lets `--clients` threads each repeat
"open the form → submit → open the confirmation" for `--seconds`, stops the server, and prints JSON:
requests, errors (any unexpected status or exception), opinions stored vs confirmations shown (a
confirmation = the tracking code of a stored opinion on the page the resident lands on), latency.
Exit status 1 when there was an error or stored ≠ confirmed.

    .venv/bin/python scripts/loadtest_opinions.py --database sqlite --seconds 60 --clients 20
    .venv/bin/python scripts/loadtest_opinions.py --database postgres://postgres@127.0.0.1:5432/renda_loadtest

It never talks to anything but 127.0.0.1 and stops by itself after `--seconds` (plus start-up).
"""

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CODE = re.compile(r'id="tracking-code">([23456789A-Z]{10})<')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Every client comes from 127.0.0.1: the per-address flood limit would stop the test itself.
        "RENDA_OPINION_RATE_LIMIT": "1000000",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }


def prepare(database: str) -> str:
    """A fresh database with one station; returns its DATABASE_URL."""
    if database == "sqlite":
        path = ROOT / "var" / "loadtest.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = database
        parsed = urllib.parse.urlparse(url)
        if parsed.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit("只在本机数据库上做压力测试")
        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = environment(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "from renda.regions.models import Region; from renda.network.models import Station;"
        "r=Region.objects.create(code='520521',name='大方县',level='county',path='520521/');"
        "s=Station.objects.create(name='压力测试联络站',kind='township_station',region=r);"
        "print(s.public_code)"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return url, out.stdout.decode().strip().splitlines()[-1]


def count_opinions(url: str, marker: str) -> int:
    script = (
        "from renda.opinions.models import Opinion;"
        f"print(Opinion.objects.filter(content__startswith='{marker}').count())"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment(url),
        check=True,
        capture_output=True,
    )
    return int(out.stdout.decode().strip().splitlines()[-1])


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors: dict[str, int] = {}
        self.confirmed = 0
        self.latencies: list[float] = []

    def add(self, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client(base: str, code: str, marker: str, until: float, stats: Stats, number: int) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form_url = f"{base}/o/{code}/"
    sent = 0

    def call(url, data=None):
        started = time.monotonic()
        request = urllib.request.Request(url, data=data, headers={"Referer": form_url})  # noqa: S310
        try:
            response = opener.open(request, timeout=30)
            status, body, headers = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as exc:
            status, body, headers = exc.code, exc.read().decode(errors="replace"), exc.headers
        stats.add(time.monotonic() - started)
        return status, body, headers

    while time.monotonic() < until:
        try:
            status, body, _ = call(form_url)
            if status != 200:
                stats.error(f"form {status}")
                continue
            token = CSRF.search(body).group(1)
            sent += 1
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "content": f"{marker} 第{number}号客户的第{sent}条意见：路灯坏了",
                    "category": "other",
                }
            ).encode()
            status, body, headers = call(form_url, data)
            if status != 302:
                stats.error(f"submit {status}")
                continue
            status, body, _ = call(urllib.parse.urljoin(base, headers["Location"]))
            if status == 200 and CODE.search(body):
                with stats.lock:
                    stats.confirmed += 1
            else:
                stats.error(f"confirmation {status}")
        except Exception as exc:  # a refused connection, a timeout: an error, and go on
            stats.error(type(exc).__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgres:// URL on 127.0.0.1")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    if not (1 <= args.clients <= 100 and 1 <= args.seconds <= 600):
        raise SystemExit("--clients 1–100, --seconds 1–600")

    url, code = prepare(args.database)
    port = free_port()
    env = environment(url)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "2",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError as exc:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"服务器未能启动：{exc}") from None
                time.sleep(0.3)
        marker = f"LT{uuid.uuid4().hex[:8]}"
        stats = Stats()
        started = time.monotonic()
        until = started + args.seconds
        threads = [
            threading.Thread(target=client, args=(base, code, marker, until, stats, n), daemon=True)
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stored = count_opinions(url, marker)
    latencies = sorted(stats.latencies) or [0.0]
    report = {
        "database": "sqlite" if args.database == "sqlite" else "postgresql",
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": stats.requests,
        "requests_per_second": round(stats.requests / elapsed, 1),
        "errors": sum(stats.errors.values()),
        "errors_by_kind": stats.errors,
        "opinions_stored": stored,
        "confirmations_shown": stats.confirmed,
        "latency_ms_median": round(statistics.median(latencies) * 1000, 1),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["errors"] == 0 and stored == stats.confirmed else 1


if __name__ == "__main__":
    sys.exit(main())
