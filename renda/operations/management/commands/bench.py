"""Measure the main pages and API endpoints for a county and a province user (issue 15 §5).

    python manage.py bench [--repeat 10] [--json var/bench.json] [--only deputies]
    python manage.py bench --compare var/bench-demo.json var/bench-full.json

For each target and user: the page is requested once to warm up, then up to `--repeat` times (at
least three times, or `--repeat` if smaller, before `--budget` seconds stop it); one more request is made with
every SQL statement recorded (`connection.execute_wrapper`), and the recorded SELECTs are run again
directly on a cursor, with their parameters, fetching every row: their summed time is the page's
raw-SQL floor (median of three runs). The figures: median and 95th-percentile wall time (ms),
statements, bytes, the floor (ms) and the page's median over the floor.

Detail targets name an object by a placeholder ({deputy}, {suggestion}, …), resolved at run time to
the first object the user's own API list shows, so the same target is measured on any database.
Stdout gets a Markdown table; `--json` writes every figure. `--compare a.json b.json` prints the
growth from a to b per target and flags what misses the targets of issue 15 §5: a list, detail,
dashboard or statistics page growing by more than 1.3×, an HTML page over 150 KB, a page whose own
SQL takes over 20 ms running more than 2× its SQL. Nothing is written except each request's own
bookkeeping (session, last activity, denials in the audit log) and, with `--points`, recomputes that
are rolled back; `--rollback` undoes even that (for a database someone else keeps).
"""

import contextlib
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from renda.accounts.models import User

GROWTH_LIMIT = 1.3  # demo → full size, for the kinds in GROWTH_KINDS
GROWTH_KINDS = frozenset({"list", "detail", "dashboard", "stats"})
HTML_LIMIT_BYTES = 150 * 1024
SQL_HEAVY_MS = 20.0  # a page whose own SQL takes longer than this …
SQL_OVERHEAD_LIMIT = 2.0  # … runs within this multiple of it


@dataclass(frozen=True)
class Target:
    name: str  # stable across databases: the key that --compare matches on
    kind: str  # list, detail, dashboard, stats, export, api
    path: str  # may hold placeholders from PICKS: {deputy}, {suggestion}, …; {region} = the user's


# The same targets for the county and the province user; a target the role may not open (404/403)
# is reported as skipped.
TARGETS = [
    Target("home", "dashboard", "/"),
    Target("rollup.home", "dashboard", "/rollup/"),
    Target("rollup.region", "dashboard", "/rollup/{region}/"),
    Target("deputies.list", "list", "/deputies/"),
    Target("deputies.search", "list", "/deputies/?q=%E7%8E%8B"),
    Target("deputies.detail", "detail", "/deputies/{deputy}/"),
    Target("dossier.detail", "detail", "/dossier/{deputy}/"),
    Target("duty_records.list", "list", "/duty-records/"),
    Target("suggestions.list", "list", "/suggestions/"),
    Target("suggestions.detail", "detail", "/suggestions/{suggestion}/"),
    Target("suggestions.stats", "stats", "/suggestions/stats/"),
    Target("suggestions.funds", "list", "/suggestions/funds/"),
    Target("opinions.list", "list", "/opinions/"),
    Target("opinions.detail", "detail", "/opinions/{opinion}/"),
    Target("network.list", "list", "/network/"),
    Target("network.detail", "detail", "/network/{station}/"),
    Target("network.receptions", "list", "/network/receptions/"),
    Target("activities.list", "list", "/activities/"),
    Target("activities.detail", "detail", "/activities/{activity}/"),
    Target("legislation.list", "list", "/legislation/"),
    Target("legislation.stats", "stats", "/legislation/stats/"),
    Target("training.list", "list", "/training/"),
    Target("training.hours", "stats", "/training/hours/"),
    Target("duty_reports.list", "list", "/duty-reports/"),
    Target("points.schemes", "list", "/points/"),
    Target("workplan.list", "list", "/workplan/"),
    Target("guidance.home", "dashboard", "/guidance/"),
    Target("organizations.list", "list", "/organizations/"),
    Target("suggestions.stats_xlsx", "export", "/suggestions/stats.xlsx"),
    Target("rollup.xlsx", "export", "/rollup/{region}/rollup.xlsx"),
    Target("api.deputies", "api", "/api/v1/deputies?limit=50"),
    Target("api.deputies.search", "api", "/api/v1/deputies?q=%E7%8E%8B&limit=50"),
    Target("api.deputies.detail", "api", "/api/v1/deputies/{deputy}"),
    Target("api.duty_records", "api", "/api/v1/duty-records?limit=50"),
    Target("api.suggestions", "api", "/api/v1/suggestions?limit=50"),
    Target("api.suggestions.detail", "api", "/api/v1/suggestions/{suggestion}"),
    Target("api.suggestions.stats", "api", "/api/v1/suggestions/stats"),
    Target("api.opinions", "api", "/api/v1/opinions?limit=50"),
    Target("api.stations", "api", "/api/v1/stations?limit=50"),
    Target("api.activities", "api", "/api/v1/activities?limit=50"),
    Target("api.rollup", "api", "/api/v1/rollup/{region}"),
    Target("api.dossier", "api", "/api/v1/dossiers/{deputy}"),
]

# The roles' own pages, measured for the demo accounts that hold them.
OTHER_TARGETS = [
    ("township_staff", Target("deputies.list", "list", "/deputies/")),
    ("deputy", Target("deputies.portal", "dashboard", "/deputies/portal/")),
    ("deputy", Target("points.mine", "dashboard", "/points/mine/")),
    ("deputy", Target("suggestions.mine", "list", "/suggestions/mine/")),
    ("unit", Target("suggestions.unit_inbox", "list", "/suggestions/unit/")),
    ("auditor", Target("audit.list", "list", "/audit/")),
    ("admin", Target("accounts.users", "list", "/accounts/users/")),
]

# Placeholder → the API list whose first item (in the user's scope) it names.
PICKS = {
    "deputy": "/api/v1/deputies?limit=1",
    "suggestion": "/api/v1/suggestions?limit=1",
    "opinion": "/api/v1/opinions?limit=1",
    "station": "/api/v1/stations?limit=1",
    "activity": "/api/v1/activities?limit=1",
}

DEFAULT_USERS = {"county": "county_staff", "province": "province_staff"}


class _Rollback(Exception):
    """Raised to undo everything a --rollback run wrote."""


class _Recorder:
    """An execute wrapper that keeps every statement with its parameters and its time."""

    def __init__(self):
        self.calls: list[tuple[str, object, bool, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, many, time.perf_counter() - started))


def _is_select(sql: str, many: bool) -> bool:
    head = sql.lstrip().upper()
    return not many and head.startswith(("SELECT", "WITH")) and " FOR UPDATE" not in head


def sql_floor_ms(calls, *, runs: int = 3) -> float:
    """The recorded SELECTs run again directly (fetching every row): median of `runs` summed times."""
    selects = [(sql, params) for sql, params, many, _ in calls if _is_select(sql, many)]
    totals = []
    for _ in range(runs):
        total = 0.0
        with connection.cursor() as cursor:
            for sql, params in selects:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                total += time.perf_counter() - started
        totals.append(total * 1000)
    return statistics.median(totals)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def measure(client: Client, path: str, *, repeat: int, budget: float) -> dict:
    warm = client.get(path)
    if warm.status_code in (301, 302) and warm["Location"].startswith("/"):
        # A page that opens on its current item (the year's work plan, the guidance list): measure that.
        path = warm["Location"]
        warm = client.get(path)
    if warm.status_code != 200:
        return {"path": path, "skipped": f"HTTP {warm.status_code}"}
    _body(warm)
    timings, cpu = [], []
    started = time.perf_counter()
    for run in range(repeat):
        before, before_cpu = time.perf_counter(), time.process_time()
        _body(client.get(path))
        timings.append((time.perf_counter() - before) * 1000)
        cpu.append((time.process_time() - before_cpu) * 1000)
        if run >= 2 and time.perf_counter() - started > budget:
            break
    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        response = client.get(path)
        body = _body(response)
    timings.sort()
    median = statistics.median(timings)
    floor = sql_floor_ms(recorder.calls, runs=min(3, repeat))
    return {
        "path": path,
        "runs": len(timings),
        "median_ms": round(median, 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        # This process's CPU time: the Python side of the page, unlike wall time barely changed by
        # other processes competing for the machine (the database server's time is not in it).
        "cpu_ms": round(statistics.median(cpu), 1),
        "queries": len(recorder.calls),
        "selects": sum(1 for sql, _, many, _ in recorder.calls if _is_select(sql, many)),
        "bytes": len(body),
        "content_type": response.get("Content-Type", "").split(";")[0],
        "sql_ms": round(floor, 1),
        "page_to_sql": round(median / floor, 2) if floor > 0 else None,
    }


class _Placeholders(dict):
    """Placeholder values for one user, each looked up when a target first needs it: the user's
    region, or the first object of an API list in the user's scope."""

    def __init__(self, client: Client, user: User):
        super().__init__()
        self.client, self.user = client, user

    def __missing__(self, name: str) -> str:
        value = None
        if name == "region" and self.user.region_id:
            value = self.user.region.code
        elif name in PICKS:
            response = self.client.get(PICKS[name])
            if response.status_code == 200 and (items := response.json().get("items")):
                value = str(items[0]["id"])
        if value is None:
            raise KeyError(name)
        self[name] = value
        return value


def run_bench(
    *, users: dict[str, str], repeat: int = 10, budget: float = 10.0, only: str = "", others: bool = True
) -> list[dict]:
    """[{user, username, name, kind, path, …figures | skipped}] for every target."""
    plan = [(label, username, target) for label, username in users.items() for target in TARGETS]
    if others:
        plan += [(username, username, target) for username, target in OTHER_TARGETS]
    if only:
        plan = [item for item in plan if only in item[2].name or only in item[2].path]
    accounts = {u.username: u for u in User.objects.filter(username__in={p[1] for p in plan})}
    clients: dict[str, tuple[Client, _Placeholders]] = {}
    results = []
    for label, username, target in plan:
        row = {"user": label, "username": username, "name": target.name, "kind": target.kind}
        user = accounts.get(username)
        if user is None:
            results.append({**row, "path": target.path, "skipped": "没有此账号"})
            continue
        if username not in clients:
            client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
            client.force_login(user)
            clients[username] = (client, _Placeholders(client, user))
        client, values = clients[username]
        try:
            path = target.path.format_map(values)
        except KeyError as missing:
            results.append({**row, "path": target.path, "skipped": f"没有可见的对象 {missing}"})
            continue
        results.append({**row, **measure(client, path, repeat=repeat, budget=budget)})
    return results


def _count(label: str) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.count()


def markdown_table(results: list[dict]) -> str:
    lines = [
        "| user | target | kind | median ms | p95 ms | CPU ms | queries | KB | SQL ms | page/SQL |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "skipped" in r:
            lines.append(
                f"| {r['user']} | {r['name']} | {r['kind']} | — | — | — | — | — | — | {r['skipped']} |"
            )
            continue
        ratio = "—" if r["page_to_sql"] is None else f"{r['page_to_sql']:.1f}×"
        lines.append(
            f"| {r['user']} | {r['name']} | {r['kind']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['cpu_ms']:.1f} | {r['queries']} | {r['bytes'] / 1024:.1f} | {r['sql_ms']:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def target_flags(row: dict, base: dict | None = None, *, slack_ms: float = 2.0) -> list[str]:
    """What misses issue 15 §5's targets: growth from `base`, HTML size, time over own SQL."""
    flags = []
    if base is not None and "skipped" not in base and row["kind"] in GROWTH_KINDS:
        growth = row["median_ms"] / base["median_ms"] if base["median_ms"] else None
        if growth and growth > GROWTH_LIMIT and row["median_ms"] - base["median_ms"] > slack_ms:
            flags.append(f"增长 {growth:.2f}×")
    if row["content_type"] == "text/html" and row["bytes"] > HTML_LIMIT_BYTES:
        flags.append(f"HTML {row['bytes'] / 1024:.0f} KB")
    if row["sql_ms"] > SQL_HEAVY_MS and row["median_ms"] > SQL_OVERHEAD_LIMIT * row["sql_ms"]:
        flags.append(f"页面为SQL的 {row['median_ms'] / row['sql_ms']:.1f}×")
    return flags


def compare(base: dict, other: dict, *, slack_ms: float = 2.0) -> tuple[str, int]:
    """A Markdown table of growth from `base` to `other` per target, and how many rows miss a target."""
    before = {(r["user"], r["name"]): r for r in base["results"]}

    def size(figures, default):
        label = figures.get("label") or default
        return f"{label}: {figures.get('deputies')} deputies, {figures.get('duty_records')} duty records"

    lines = [
        f"a = {size(base, 'a')} → b = {size(other, 'b')}",
        "",
        "| user | target | kind | ms a | ms b | growth | CPU ms a→b | queries a→b | KB b | SQL ms a→b "
        "| page/SQL b | misses |",
        "|---|---|---|---:|---:|---:|---|---|---:|---|---:|---|",
    ]
    missed = 0
    for row in other["results"]:
        old = before.get((row["user"], row["name"]))
        if "skipped" in row:
            continue
        if old is None or "skipped" in old:
            old = None
        flags = target_flags(row, old, slack_ms=slack_ms)
        missed += bool(flags)
        growth = f"{row['median_ms'] / old['median_ms']:.2f}×" if old and old["median_ms"] else "—"
        ratio = "—" if row["page_to_sql"] is None else f"{row['page_to_sql']:.1f}×"
        lines.append(
            f"| {row['user']} | {row['name']} | {row['kind']} | {old['median_ms'] if old else '—'} | "
            f"{row['median_ms']} | {growth} | {old['cpu_ms'] if old else '—'}→{row['cpu_ms']} | "
            f"{old['queries'] if old else '—'}→{row['queries']} | {row['bytes'] / 1024:.1f} | "
            f"{old['sql_ms'] if old else '—'}→{row['sql_ms']} | {ratio} | {'; '.join(flags)} |"
        )
    lines.append("")
    lines.append(
        f"未达标：{missed} 项（目标：列表、详情、看板、统计页增长不超过 {GROWTH_LIMIT}×，"
        f"且增加超过 {slack_ms:g} 毫秒才计；HTML 不超过 {HTML_LIMIT_BYTES // 1024} KB；"
        f"自身 SQL 超过 {SQL_HEAVY_MS:g} 毫秒的页面不超过 SQL 的 {SQL_OVERHEAD_LIMIT:g} 倍）"
    )
    return "\n".join(lines), missed


class Command(BaseCommand):
    help = (
        "测量县级、省级用户的主要页面与接口：中位数、P95、查询次数、字节数、SQL 下限；"
        "输出 Markdown 表格与 JSON"
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10, help="每个页面最多测量的次数（至少 3 次）")
        parser.add_argument("--budget", type=float, default=10.0, help="每个页面的测量时间上限（秒）")
        parser.add_argument(
            "--json", dest="json_path", default="", help="把全部数据写入此 JSON 文件（- 为标准输出）"
        )
        parser.add_argument("--only", default="", help="只测名称或路径含此文字的页面")
        parser.add_argument("--label", default="", help="这次测量的名称（如 demo、full），写入 JSON")
        parser.add_argument("--county-user", default=DEFAULT_USERS["county"])
        parser.add_argument("--province-user", default=DEFAULT_USERS["province"])
        parser.add_argument("--no-others", action="store_true", help="不测代表、承办单位等其他角色的页面")
        parser.add_argument("--points", action="store_true", help="同时测量积分重算（在回滚的事务里）")
        parser.add_argument(
            "--rollback", action="store_true", help="全部在一个回滚的事务里测量，不留下任何数据"
        )
        parser.add_argument("--compare", nargs=2, metavar=("A_JSON", "B_JSON"), help="比较两次测量的 JSON")
        parser.add_argument("--slack-ms", type=float, default=2.0, help="增长超过此毫秒数才算未达标")

    def handle(self, *args, **options):
        if options["compare"]:
            loaded = []
            for name in options["compare"]:
                try:
                    loaded.append(json.loads(Path(name).read_text(encoding="utf-8")))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"无法读取 {name}：{exc}") from exc
            table, _missed = compare(*loaded, slack_ms=options["slack_ms"])
            self.stdout.write(table)
            return
        if options["repeat"] < 1:
            raise CommandError("--repeat 至少为1")
        users = {"county": options["county_user"], "province": options["province_user"]}
        if not User.objects.filter(username__in=users.values()).exists():
            raise CommandError(f"没有账号 {'、'.join(users.values())}：请先运行 seed_demo")
        kept = {}

        def measured():
            kept["results"] = run_bench(
                users=users,
                repeat=options["repeat"],
                budget=options["budget"],
                only=options["only"],
                others=not options["no_others"],
            )

        if options["rollback"]:
            with contextlib.suppress(_Rollback), transaction.atomic():
                measured()
                raise _Rollback
        else:
            measured()
        results = kept["results"]
        figures = {
            "label": options["label"],
            "database": connection.vendor,
            "repeat": options["repeat"],
            "deputies": _count("deputies.Deputy"),
            "duty_records": _count("duty_records.DutyRecord"),
            "suggestions": _count("suggestions.Suggestion"),
            "regions": _count("regions.Region"),
            "results": results,
        }
        if options["points"]:
            from renda.points.bench import recompute_figures, recompute_summary

            figures["points_recompute"] = recompute_figures()
            # Summed over every scheme (a province is one per county), with the insert baseline.
            figures["points_recompute_total"] = recompute_summary(figures["points_recompute"])
        for row in results:
            if "skipped" not in row:
                row["misses"] = target_flags(row)
        text = json.dumps(figures, ensure_ascii=False, indent=2)
        if options["json_path"] == "-":
            self.stdout.write(text)
            return
        if options["json_path"]:
            path = Path(options["json_path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.stdout.write(markdown_table(results))
