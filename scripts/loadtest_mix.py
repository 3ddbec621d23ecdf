"""Bounded load test of a realistic mix against the production start (issue 15 §6), loopback only.

    .venv/bin/python scripts/loadtest_mix.py --database postgres://postgres@127.0.0.1:5432/renda_bench_full
    make loadtest-mix LOADTEST_DB=renda_bench_full LOADTEST_SECONDS=60

It copies the given database (CREATE DATABASE <name>_loadtest TEMPLATE <name>: the seeded data is
never changed; `--in-place` uses it as it is), gives load-test deputies accounts (loadtest_deputy_NN,
linked to deputies of 大方县 that have none), collects the static files once (var/loadtest-static),
then starts what production runs: gunicorn with config.settings.production and `--web-workers`
processes (sync workers, as deploy/renda-web.service), `--job-workers` × `manage.py job_worker`, the
psycopg pool of deploy/renda.env.example (RENDA_DB_POOL=2:8), TLS assumed at the proxy
(X-Forwarded-Proto: https) and 127.0.0.1 the trusted proxy (X-Forwarded-For: one address per
resident). Then, for `--seconds`, closed-loop clients without think time, each a kind of user:

- deputy (phone portal): portal → log a contact with constituents or declare a record → own
  suggestions → own points;
- staff (county, township and province staff in turn): home → roster → name search → a deputy →
  suggestions → a suggestion → statistics → duty records → opinions;
- resident: the station's opinion form → submit → confirmation → tracking page → look up the code;
- unit (handling unit): inbox → notifications.

Each client logs in once through the login form before the clock starts (the second factor is off
for the test: RENDA_REQUIRE_2FA=0). Prints JSON: requests per second overall and per kind, p50/p95
per step, errors (an unexpected status or exception; expected 0), the rows written. Stops
everything it started; exit status 1 when there was an error.
"""

import argparse
import http.cookies
import json
import os
import random
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STATIC = ROOT / "var" / "loadtest-static"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'id="tracking-code">([23456789A-Z]{10})<')
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"]

PREPARE = """
import json
from django.conf import settings
from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.core.crypto import field_key, index_key
from renda.deputies.models import Deputy
from renda.network.models import Station
from renda.onboarding.services import account_deputy_link
from renda.suggestions.models import Suggestion

wanted = {deputies}
made = list(User.objects.filter(username__startswith="loadtest_deputy_").order_by("username")
            .values_list("username", flat=True))
free = Deputy.objects.filter(user__isnull=True, region__path__startswith="52/5205/520521/").order_by("id")
for deputy in free[: max(0, wanted - len(made))]:
    name = f"loadtest_deputy_{{len(made) + 1:02d}}"
    account = user_create(username=name, password=settings.RENDA_DEMO_PASSWORD, role=Role.DEPUTY,
                          full_name=deputy.name)
    account_deputy_link(actor=None, account=account, deputy=deputy)
    made.append(name)
stations = list(Station.objects.filter(region__path__startswith="52/5205/520521/")
                .exclude(public_code="").values_list("public_code", flat=True)[:20])
print(json.dumps({{
    "deputies": made[:wanted],
    "deputy_ids": list(Deputy.objects.filter(region__path__startswith="52/5205/520521/")
                       .order_by("?").values_list("id", flat=True)[:50]),
    "suggestion_ids": list(Suggestion.objects.filter(congress__region__code="520521")
                           .order_by("?").values_list("id", flat=True)[:50]),
    "stations": stations,
    "keys": [field_key().hex(), index_key().hex()],
    "secret": settings.SECRET_KEY,
    "password": settings.RENDA_DEMO_PASSWORD,
}}))
"""

COUNT = """
import json
from renda.deputies.models import Contact
from renda.duty_records.models import DutyRecord
from renda.opinions.models import Opinion
print(json.dumps({"opinions": Opinion.objects.count(), "contacts": Contact.objects.count(),
                  "duty_records": DutyRecord.objects.count()}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(env: dict, script: str) -> dict:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.steps: dict[tuple[str, str], list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []

    def add(self, kind: str, step: str, seconds: float) -> None:
        with self.lock:
            self.steps.setdefault((kind, step), []).append(seconds)

    def error(self, what: str, detail: str = "") -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1
            if detail and len(self.samples) < 10:
                self.samples.append(f"{what}: {detail[:300]}")


class Browser:
    """One user's browser: cookies kept by hand (production's cookies are Secure, and the test talks
    plain HTTP to gunicorn as nginx would), the headers the TLS proxy adds."""

    def __init__(self, base: str, stats: Stats, kind: str, address: str = "127.0.0.1"):
        self.base, self.stats, self.kind, self.address = base, stats, kind, address
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def call(self, step: str, path: str, data: dict | None = None, *, expect=(200,), timed=True):
        url = urllib.parse.urljoin(self.base, path)
        headers = {
            "Host": urllib.parse.urlparse(self.base).netloc,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": "https://" + urllib.parse.urlparse(self.base).netloc + path,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        started = time.monotonic()
        try:
            try:
                response = self.opener.open(request, timeout=60)
                status, text, reply = (
                    response.status,
                    response.read().decode(errors="replace"),
                    response.headers,
                )
            except urllib.error.HTTPError as exc:
                status, text, reply = exc.code, exc.read().decode(errors="replace"), exc.headers
        except Exception as exc:  # a refused connection, a timeout: an error, and go on
            self.stats.error(f"{self.kind} {step} {type(exc).__name__}", str(exc))
            return None, "", {}
        if timed:
            self.stats.add(self.kind, step, time.monotonic() - started)
        for header in reply.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if status not in expect:
            self.stats.error(f"{self.kind} {step} HTTP {status}", f"{path}: {text[:200]}")
        return status, text, reply

    def token(self, text: str) -> str:
        match = CSRF.search(text)
        return match.group(1) if match else ""

    def login(self, username: str, password: str) -> bool:
        _status, text, _ = self.call("login form", "/accounts/login/", timed=False)
        status, _text, _ = self.call(
            "login",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.token(text), "username": username, "password": password},
            expect=(302,),
            timed=False,
        )
        return status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def deputy_loop(browser: Browser, until: float, data: dict, rng: random.Random) -> None:
    today = time.strftime("%Y-%m-%d")
    while time.monotonic() < until:
        _status, text, _ = browser.call("portal", "/deputies/portal/")
        if rng.random() < 0.5:
            browser.call(
                "contact",
                "/deputies/portal/contact/",
                {
                    "csrfmiddlewaretoken": browser.token(text),
                    "method": "visit",
                    "occurred_on": today,
                    "place": "压力测试村委会",
                    "people_count": rng.randint(1, 20),
                    "topics": "压力测试：村道维修",
                    "opinions": "群众希望尽快修复村道",
                },
                expect=(302,),
            )
        else:
            browser.call(
                "declare",
                "/deputies/portal/",
                {
                    "csrfmiddlewaretoken": browser.token(text),
                    "kind": "other",
                    "title": "压力测试：参加村民议事会",
                    "occurred_on": today,
                    "note": "",
                },
                expect=(302,),
            )
        browser.call("my suggestions", "/suggestions/mine/")
        browser.call("my points", "/points/mine/")


def staff_loop(browser: Browser, until: float, data: dict, rng: random.Random) -> None:
    while time.monotonic() < until:
        browser.call("home", "/")
        browser.call("roster", "/deputies/")
        browser.call("search", "/deputies/?q=" + urllib.parse.quote(rng.choice(SURNAMES)))
        if data["deputy_ids"]:
            # A province user may not open every county deputy's page: 404 is a refusal, not a fault.
            browser.call("deputy", f"/deputies/{rng.choice(data['deputy_ids'])}/", expect=(200, 404))
        browser.call("suggestions", "/suggestions/")
        if data["suggestion_ids"]:
            browser.call(
                "suggestion", f"/suggestions/{rng.choice(data['suggestion_ids'])}/", expect=(200, 404)
            )
        browser.call("stats", "/suggestions/stats/")
        browser.call("duty records", "/duty-records/")
        browser.call("opinions", "/opinions/")


def resident_loop(browser: Browser, until: float, data: dict, rng: random.Random) -> None:
    while time.monotonic() < until:
        # Each round is another resident: another address (as nginx passes it on), no cookies.
        browser.address = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        browser.cookies.clear()
        form = f"/o/{rng.choice(data['stations'])}/"
        status, text, _ = browser.call("form", form)
        if status != 200:
            continue
        status, _text, reply = browser.call(
            "submit",
            form,
            {
                "csrfmiddlewaretoken": browser.token(text),
                "content": "压力测试：路灯坏了，请尽快修理",
                "category": "other",
            },
            expect=(302,),
        )
        if status != 302:
            continue
        status, text, _ = browser.call("confirmation", reply["Location"])
        match = CODE.search(text or "")
        if not match:
            browser.stats.error("resident confirmation without tracking code")
            continue
        status, text, _ = browser.call("track page", f"/opinions/track/?code={match.group(1)}")
        browser.call(
            "track", "/opinions/track/", {"csrfmiddlewaretoken": browser.token(text), "code": match.group(1)}
        )


def unit_loop(browser: Browser, until: float, data: dict, rng: random.Random) -> None:
    while time.monotonic() < until:
        browser.call("inbox", "/suggestions/unit/")
        browser.call("notifications", "/notifications/")


LOOPS = {"deputy": deputy_loop, "staff": staff_loop, "resident": resident_loop, "unit": unit_loop}


def collectstatic(env: dict) -> None:
    if (STATIC / "staticfiles.json").exists():
        return
    print("[loadtest] collectstatic（第一次约一分钟）", flush=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgres:// URL of a seeded database on 127.0.0.1")
    parser.add_argument("--in-place", action="store_true", help="use the database itself instead of a copy")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--deputies", type=int, default=6)
    parser.add_argument("--staff", type=int, default=3)
    parser.add_argument("--residents", type=int, default=3)
    parser.add_argument("--units", type=int, default=1)
    args = parser.parse_args()
    if not (
        1 <= args.seconds <= 600 and 1 <= args.deputies + args.staff + args.residents + args.units <= 200
    ):
        raise SystemExit("--seconds 1–600，客户端合计 1–200")
    parsed = urllib.parse.urlparse(args.database)
    if parsed.scheme not in ("postgres", "postgresql") or parsed.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("只在本机 PostgreSQL 数据库上做压力测试")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    source = parsed.path.lstrip("/")
    url, copy = args.database, None
    if not args.in_place:
        copy = f"{source}_loadtest"
        url = parsed._replace(path=f"/{copy}").geturl()
        print(f"[loadtest] 复制数据库 {source} → {copy}", flush=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    quiet = {"PYTHONWARNINGS": "ignore", "LOG_LEVEL": "WARNING"}
    base_env = {**os.environ, **quiet, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    processes: list[subprocess.Popen] = []
    try:
        data = shell(base_env, PREPARE.format(deputies=args.deputies))
        if not data["stations"]:
            raise SystemExit("数据库里没有大方县的联络站：请先运行 seed_demo")
        field, index = data["keys"]
        env = {
            **base_env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            # The keys the data was seeded with (outside production they derive from SECRET_KEY).
            "SECRET_KEY": data["secret"],
            "RENDA_FIELD_KEY": field,
            "RENDA_INDEX_KEY": index,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(STATIC),
            "MEDIA_ROOT": str(ROOT / "var" / "loadtest-media"),
            "RENDA_DB_POOL": "2:8",
            "RENDA_TRUSTED_PROXIES": "127.0.0.1",
            "RENDA_REQUIRE_2FA": "0",
            "RENDA_CALENDAR_WARN_DAYS": "0",
        }
        collectstatic(env)
        before = shell(base_env, COUNT)
        port = free_port()
        gunicorn = ["--workers", str(args.web_workers), "--timeout", "60", "--log-level", "warning"]
        processes.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    *gunicorn,
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
        for _ in range(args.job_workers):
            processes.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "job_worker"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                login = f"{base}/accounts/login/"
                request = urllib.request.Request(login, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
                urllib.request.urlopen(request, timeout=5).read()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError as exc:
                if time.monotonic() > deadline or processes[0].poll() is not None:
                    raise SystemExit(f"gunicorn 未能启动：{exc}") from None
                time.sleep(0.5)
        stats = Stats()
        staff_accounts = ["county_staff", "township_staff", "province_staff"]
        clients: list[tuple[str, Browser, str | None]] = []
        for n in range(args.deputies):
            clients.append(
                ("deputy", Browser(base, stats, "deputy"), data["deputies"][n % len(data["deputies"])])
            )
        for n in range(args.staff):
            clients.append(("staff", Browser(base, stats, "staff"), staff_accounts[n % len(staff_accounts)]))
        for _ in range(args.residents):
            clients.append(("resident", Browser(base, stats, "resident"), None))
        for _ in range(args.units):
            clients.append(("unit", Browser(base, stats, "unit"), "unit"))
        for kind, browser, username in clients:
            if username and not browser.login(username, data["password"]):
                raise SystemExit(f"{kind} {username} 无法登录")
        print(f"[loadtest] {len(clients)} 个客户端已登录，开始 {args.seconds:g} 秒", flush=True)
        started = time.monotonic()
        until = started + args.seconds
        threads = [
            threading.Thread(
                target=LOOPS[kind],
                args=(browser, until, data, random.Random(number)),  # noqa: S311 (a reproducible mix)
                daemon=True,
            )
            for number, (kind, browser, _username) in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    after = shell(base_env, COUNT)
    everything = [s for values in stats.steps.values() for s in values]
    kinds = {}
    for kind in LOOPS:
        values = [s for (k, _), v in stats.steps.items() if k == kind for s in v]
        if values:
            kinds[kind] = {
                "clients": sum(1 for c in clients if c[0] == kind),
                "requests": len(values),
                "requests_per_second": round(len(values) / elapsed, 1),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            }
    report = {
        "database": source,
        "copy": copy,
        "web_workers": args.web_workers,
        "job_workers": args.job_workers,
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "requests_per_second": round(len(everything) / elapsed, 1),
        "p50_ms": round(statistics.median(everything) * 1000, 1) if everything else None,
        "p95_ms": round(percentile(everything, 0.95) * 1000, 1) if everything else None,
        "errors": sum(stats.errors.values()),
        "errors_by_kind": stats.errors,
        "error_samples": stats.samples,
        "kinds": kinds,
        "steps": {
            f"{kind} {step}": {
                "requests": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            }
            for (kind, step), values in sorted(stats.steps.items())
        },
        "written": {key: after[key] - before[key] for key in after},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if copy:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
