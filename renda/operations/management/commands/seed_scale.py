"""Build a synthetic province from the Guizhou divisions for benchmarks (issue 15 §3)."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.operations.scale import (
    DEPUTIES,
    DUTY_RECORDS,
    OPINIONS,
    SUGGESTIONS,
    YEARS,
    ScaleError,
    Sizes,
    seed_scale,
)


class Command(BaseCommand):
    help = (
        "生成贵州全省规模的合成数据（除大方县外的每个县，大方县由 seed_demo 生成），用于性能测量。"
        "先运行 migrate、load_regions（或 seed_demo）。同一 --seed 与同样的规模参数生成同样的数据；"
        "数据库中已有规模数据时拒绝运行（请用新数据库）。默认即全省实际规模："
        f"代表 {DEPUTIES}、履职记录 {DUTY_RECORDS}、建议 {SUGGESTIONS}、群众意见 {OPINIONS}、{YEARS} 年。"
        "小规模：--scale 0.05（各数量乘以该系数），或 --counties N 只生成前 N 个县。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="规模系数：各数量默认值乘以它（默认 1，即全省实际规模）"
        )
        parser.add_argument("--counties", type=int, help="只生成按区划代码排序的前 N 个县（默认全部）")
        parser.add_argument("--deputies", type=int, help=f"代表人数（默认 {DEPUTIES} × 规模系数）")
        parser.add_argument(
            "--duty-records", type=int, help=f"履职记录条数（默认 {DUTY_RECORDS} × 规模系数）"
        )
        parser.add_argument("--suggestions", type=int, help=f"建议议案件数（默认 {SUGGESTIONS} × 规模系数）")
        parser.add_argument("--opinions", type=int, help=f"群众意见条数（默认 {OPINIONS} × 规模系数）")
        parser.add_argument("--years", type=int, help=f"覆盖年数（默认 {YEARS}）")
        parser.add_argument("--until", help="数据截止日期 YYYY-MM-DD（默认今天；固定它则日期也可重现）")

    def handle(self, *args, **options):
        if settings.RENDA_ENVIRONMENT == "production":
            raise CommandError("seed_scale 不能在生产环境运行")
        if options["scale"] <= 0:
            raise CommandError("--scale 必须大于 0")
        for name in ("counties", "deputies", "duty_records", "suggestions", "opinions", "years"):
            value = options[name]
            if value is not None and value < (1 if name in ("counties", "years", "deputies") else 0):
                raise CommandError(f"--{name.replace('_', '-')} 数值不正确：{value}")
        until = None
        if options["until"]:
            try:
                until = datetime.date.fromisoformat(options["until"])
            except ValueError as exc:
                raise CommandError(f"--until 日期格式应为 YYYY-MM-DD：{options['until']}") from exc
        sizes = Sizes.build(
            scale=options["scale"],
            counties=options["counties"],
            deputies=options["deputies"],
            duty_records=options["duty_records"],
            suggestions=options["suggestions"],
            opinions=options["opinions"],
            years=options["years"],
        )
        started = time.perf_counter()
        try:
            seeder = seed_scale(seed=options["seed"], sizes=sizes, until=until, stdout=self.stdout)
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        total = time.perf_counter() - started
        self.stdout.write("各阶段用时（秒）：")
        for key, seconds, rows in seeder.timings:
            self.stdout.write(f"  {key:<14} {seconds:9.1f}  {rows:>10} 行")
        self.stdout.write(self.style.SUCCESS(f"规模数据已生成，共用时 {total:.1f} 秒"))
