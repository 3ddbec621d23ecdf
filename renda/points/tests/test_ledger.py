"""The ledger: reversals, adjustments and recomputation are idempotent; the same record never counts
twice under one rule; and the incremental ledger equals a recomputation from scratch on random record
histories (hypothesis)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_review, duty_record_withdraw
from renda.points import ledger
from renda.points.engine import Compiled, Line, standings_for
from renda.points.models import LedgerEntry, Standing
from renda.points.services import (
    points_adjust,
    points_recompute,
    scheme_import,
    scheme_new_version,
    scheme_publish,
)

from .conftest import SHAPE_A, SHAPE_C, YEAR


def _standings(scheme):
    return {
        (s.deputy_id, s.period, s.index): (s.total, s.period_points, s.by_category, s.grade)
        for s in Standing.objects.filter(scheme=scheme)
    }


def _from_scratch(scheme):
    """Standings computed straight from today's records and mandates, without the ledger."""
    compiled = Compiled.load(scheme)
    spans = ledger.mandate_spans(scheme)
    records = list(ledger._counting_records(scheme, deputy_ids=set(spans)))
    lines: dict[int, list] = {d: [] for d in spans}
    for want in ledger.expected_awards(compiled, records, set(spans)).values():
        lines[want["deputy_id"]].append(
            Line(
                "award", want["category_id"], want["occurred_on"], want["points"], want["units"],
                want["rule_id"], want["record_id"],
            )
        )  # fmt: skip
    for want in ledger.expected_bases(compiled, spans).values():
        lines[want["deputy_id"]].append(
            Line("base", want["category_id"], want["occurred_on"], want["points"])
        )
    for adj in LedgerEntry.objects.filter(scheme=scheme, kind="adjustment"):
        lines[adj.deputy_id].append(Line("adjustment", adj.category_id, adj.occurred_on, adj.points))
    out = {}
    for deputy_id, deputy_lines in lines.items():
        for row in standings_for(compiled, deputy_lines):
            out[(deputy_id, row["period"], row["index"])] = (
                row["total"], row["period_points"], row["by_category"], row["grade"]
            )  # fmt: skip
    return out


def publish(congress, document):
    return scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=document))


def test_withdrawal_reverses_once_and_a_record_counts_once(congress, members, users):
    wang = members["wang"]
    scheme = publish(congress, SHAPE_A)
    record = duty_record_add(
        deputy=wang, kind="inspection", title="视察", occurred_on=datetime.date(YEAR, 5, 1)
    )
    award = LedgerEntry.objects.get(scheme=scheme, record=record)
    assert (award.kind, award.points, award.open) == ("award", Decimal("3.00"), True)
    # The constraint itself refuses a second open award of the record under the rule.
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            scheme=scheme, deputy=wang, kind="award", record=record, rule=award.rule,
            category=award.category, occurred_on=award.occurred_on, points=3,
        )  # fmt: skip
    # Reconciling again changes nothing.
    before = LedgerEntry.objects.count()
    ledger.on_record_changed(record)
    assert LedgerEntry.objects.count() == before
    duty_record_withdraw(record=record, actor=users["county_staff"], reason="签到有误")
    reversal = LedgerEntry.objects.get(scheme=scheme, kind="reversal")
    assert reversal.points == Decimal("-3.00") and reversal.reverses_id == award.pk
    award.refresh_from_db()
    assert not award.open
    ledger.on_record_changed(DutyRecord.objects.get(pk=record.pk))
    points_recompute(actor=None, scheme=scheme)
    assert LedgerEntry.objects.filter(scheme=scheme, kind="reversal").count() == 1
    assert Standing.objects.get(scheme=scheme, deputy=wang, period="year").total == 0


def test_rejected_declaration_never_counts(congress, members, users):
    scheme = publish(congress, SHAPE_A)
    record = duty_record_add(
        deputy=members["wang"], kind="survey", title="调研", occurred_on=datetime.date(YEAR, 4, 1),
        origin=DutyRecord.Origin.DECLARED,
    )  # fmt: skip
    duty_record_review(record=record, approve=False, note="无佐证材料", actor=users["county_staff"])
    assert not LedgerEntry.objects.filter(scheme=scheme, kind="award").exists()


def test_adjustment_is_its_own_line_and_idempotent(congress, members, users):
    scheme = publish(congress, SHAPE_A)
    category = scheme.categories.get()
    kwargs = {"actor": users["county_staff"], "scheme": scheme, "deputy": members["li"], "category": category}
    first = points_adjust(points="2", reason="补记：参加代表小组活动", **kwargs)
    again = points_adjust(points="2", reason="补记：参加代表小组活动", **kwargs)
    assert first.pk == again.pk and first.kind == "adjustment" and first.actor == users["county_staff"]
    assert Standing.objects.get(scheme=scheme, deputy=members["li"], period="year").total == Decimal("2.00")
    with pytest.raises(Exception, match="调整原因"):
        points_adjust(points="2", reason=" ", **kwargs)
    points_recompute(actor=None, scheme=scheme)  # recomputation keeps adjustments
    assert Standing.objects.get(scheme=scheme, deputy=members["li"], period="year").total == Decimal("2.00")


def test_a_published_scheme_is_never_edited_and_a_new_version_recomputes(congress, members):
    from renda.core.errors import InvalidTransition
    from renda.points.services import scheme_update

    scheme = publish(congress, SHAPE_A)
    duty_record_add(
        deputy=members["wang"], kind="survey", title="调研", occurred_on=datetime.date(YEAR, 4, 1)
    )
    with pytest.raises(InvalidTransition):
        scheme_update(actor=None, scheme=scheme, document=SHAPE_A)
    draft = scheme_new_version(actor=None, scheme=scheme)
    document = {
        **SHAPE_A,
        "rules": [{**r, "points": 5} if r["code"] == "inspection" else r for r in SHAPE_A["rules"]],
    }
    scheme_update(actor=None, scheme=draft, document=document)
    scheme_publish(actor=None, scheme=draft)
    scheme.refresh_from_db()
    assert (scheme.state, draft.version) == ("superseded", 2)
    row = Standing.objects.get(scheme=draft, deputy=members["wang"], period="year")
    assert row.total == Decimal("5.00")
    # The old version's standing stays as it was: the history says which version gave what.
    assert Standing.objects.get(scheme=scheme, deputy=members["wang"], period="year").total == Decimal("3.00")


HISTORY_DOC = {
    **SHAPE_C,
    "rhythm": "quarter",
    "rules": [
        *SHAPE_C["rules"],
        {"code": "inspect_cap", "name": "视察（限3次）", "category": "work", "kinds": ["survey"],
         "points": 4, "max_count": 3},
        {"code": "study", "name": "学习时长", "category": "link", "kinds": ["training"], "mode": "target",
         "unit": "hour", "target": 8, "points": 5, "above": "0.5", "below": -1},
        {"code": "lead", "name": "领衔建议", "category": "work", "kinds": ["suggestion"],
         "match": {"role": ["lead"]}, "points": 3},
    ],
}  # fmt: skip

KINDS = ["inspection", "survey", "contact", "reception", "absence", "training", "suggestion"]
operation = st.one_of(
    st.tuples(
        st.just("add"),
        st.integers(0, 1),
        st.sampled_from(KINDS),
        st.integers(1, 12),
        st.sampled_from(["1", "2.5", "4"]),
        st.sampled_from(["lead", "cosigner"]),
        st.booleans(),
    ),
    st.tuples(st.just("withdraw"), st.integers(0, 30)),
    st.tuples(st.just("review"), st.integers(0, 30), st.booleans()),
    # A reviewer's adjustment, sent once or twice (a repeated request writes one line).
    st.tuples(st.just("adjust"), st.integers(0, 1), st.sampled_from(["1", "-2.5"]), st.booleans()),
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=st.lists(operation, max_size=14))
def test_incremental_ledger_equals_recomputation(congress, members, users, history):
    deputies = [members["wang"], members["li"]]
    staff = users["county_staff"]
    with transaction.atomic():
        scheme = publish(congress, HISTORY_DOC)
        records: list[DutyRecord] = []
        adjustments = set()
        for op in history:
            if op[0] == "adjust":
                _, who, points, twice = op
                reason = f"调整{len(adjustments)}"
                for _time in range(2 if twice else 1):
                    points_adjust(
                        actor=staff, scheme=scheme, deputy=deputies[who],
                        category=scheme.categories.get(code="work"), points=points, reason=reason,
                    )  # fmt: skip
                adjustments.add((who, points, reason))
            elif op[0] == "add":
                _, who, kind, month, quantity, role, declared = op
                if declared and kind == "absence":
                    declared = False
                records.append(
                    duty_record_add(
                        deputy=deputies[who], kind=kind, title=kind,
                        occurred_on=datetime.date(YEAR, month, 15),
                        quantity=quantity, unit="小时", attributes={"role": role},
                        origin=DutyRecord.Origin.DECLARED if declared else DutyRecord.Origin.SYSTEM,
                    )
                )  # fmt: skip
            elif records:
                record = DutyRecord.objects.get(pk=records[op[1] % len(records)].pk)
                if op[0] == "withdraw" and record.withdrawn_at is None:
                    duty_record_withdraw(record=record, actor=staff, reason="更正")
                elif op[0] == "review" and record.review_state == "pending":
                    duty_record_review(record=record, approve=op[2], note="审核", actor=staff)
        incremental = _standings(scheme)
        assert incremental == _from_scratch(scheme)
        assert LedgerEntry.objects.filter(scheme=scheme, kind="adjustment").count() == len(adjustments)
        entries = LedgerEntry.objects.count()
        points_recompute(actor=None, scheme=scheme)
        assert LedgerEntry.objects.count() == entries  # nothing to append: idempotent
        assert _standings(scheme) == incremental
        # A second version computed from scratch gives the same totals: the reviewers' adjustments
        # are carried to it (they are decisions about the deputy, not results of the rules).
        fresh = scheme_publish(actor=None, scheme=scheme_new_version(actor=None, scheme=scheme))
        assert _standings(fresh) == incremental
        transaction.set_rollback(True)


def test_recompute_as_a_background_job_with_progress(
    congress, members, users, settings, django_capture_on_commit_callbacks
):
    from renda.jobs.models import Job

    settings.RENDA_POINTS_INLINE_DEPUTIES = 1  # two members: more than the inline limit
    with django_capture_on_commit_callbacks(execute=True):
        scheme = scheme_publish(
            actor=users["county_staff"], scheme=scheme_import(actor=None, congress=congress, document=SHAPE_A)
        )
    job = Job.objects.get(kind="points.recompute")
    assert (job.state, job.percent) == ("succeeded", 100)
    duty_record_add(deputy=members["li"], kind="survey", title="调研", occurred_on=datetime.date(YEAR, 4, 1))
    entries = LedgerEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = points_recompute(actor=users["county_staff"], scheme=scheme)
    again.refresh_from_db()
    assert again.state == "succeeded" and LedgerEntry.objects.count() == entries
