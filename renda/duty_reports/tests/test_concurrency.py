"""One code, one vote, also when the same code is submitted from several phones at the same instant
(PostgreSQL: real concurrent transactions; SQLite serialises writers and is covered by test_services)."""

import threading

import pytest
from django.db import connection

from renda.core.errors import DomainError
from renda.duty_reports import services
from renda.duty_reports.models import VoteCode


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_a_code_replayed_concurrently_counts_once(voting):
    code = VoteCode.objects.filter(report=voting).first().code
    outcomes, barrier = [], threading.Barrier(6)

    def submit(option):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.vote_cast(code=code, option=option)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit, args=("称职" if n % 2 else "不称职",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("该测评码已投过票，一码只能投一票") == 5
    assert VoteCode.objects.filter(report=voting, used_at__isnull=False).count() == 1
