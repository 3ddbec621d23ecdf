"""Measure the main pages and API lists on the current database and print the figures as JSON.

Run after `seed_demo` (or `seed_demo` plus your own data): `python manage.py bench --repeat 20`.
Each target is requested once to warm up, then `repeat` times; the JSON gives the median and 95th
percentile wall time in milliseconds, the number of SQL queries and the response size in bytes.
"""

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from renda.accounts.models import User
from renda.points.bench import recompute_figures, recompute_summary

# (demo username, path). Paths that answer 404 in this installation are reported as skipped.
TARGETS = [
    ("county_staff", "/"),
    ("county_staff", "/deputies/"),
    ("county_staff", "/duty-records/"),
    ("county_staff", "/api/v1/deputies?limit=50"),
    ("county_staff", "/network/"),
    ("county_staff", "/api/v1/stations?kind=township_station"),
    ("county_staff", "/opinions/"),
    ("county_staff", "/suggestions/"),
    ("county_staff", "/api/v1/suggestions/stats"),
    ("township_staff", "/deputies/"),
    ("deputy", "/deputies/portal/"),
    ("unit", "/suggestions/unit/"),
    ("auditor", "/audit/"),
    ("admin", "/accounts/users/"),
    ("county_staff", "/points/"),
    ("deputy", "/points/mine/"),
]


class Command(BaseCommand):
    help = "测量主要页面与接口的响应时间、查询次数，输出JSON"

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, repeat: int, **options):
        if repeat < 1:
            raise CommandError("--repeat 至少为1")
        users = {u.username: u for u in User.objects.filter(username__in={t[0] for t in TARGETS})}
        if not users:
            raise CommandError("没有演示账号：请先运行 seed_demo")
        results = []
        for username, path in TARGETS:
            user = users.get(username)
            if user is None:
                continue
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            warm = client.get(path, follow=False)
            if warm.status_code != 200:
                results.append({"user": username, "path": path, "skipped": f"HTTP {warm.status_code}"})
                continue
            timings = []
            with CaptureQueriesContext(connection) as queries:
                for _ in range(repeat):
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            results.append({
                "user": username,
                "path": path,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
                "queries": len(queries) // repeat,
                "bytes": len(response.content),
            })  # fmt: skip
        figures = {
            "database": connection.vendor,
            "repeat": repeat,
            "deputies": _count("deputies.Deputy"),
            "regions": _count("regions.Region"),
            "results": results,
            "points_recompute": recompute_figures(),
        }
        figures["points_recompute_total"] = recompute_summary(figures["points_recompute"])
        self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))


def _count(label: str) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.count()
