"""Celery tasks on a real worker consuming from the real Redis (PostgreSQL leg)."""

import threading

import pytest
from django.db import connections

from audit import log as audit
from audit.tasks import verify_audit_chain
from tests.audit.test_audit import _tamper


@pytest.mark.worker
def test_it_verifies_the_audit_chain_on_a_real_worker(celery_worker, admin_user, overseer, mailoutbox):
    events = [audit.record("test.event", actor=admin_user, after={"n": n}) for n in range(3)]
    assert verify_audit_chain.delay().get(timeout=30) == {"checked": 3, "broken_at": None}
    assert mailoutbox == []

    _tamper("UPDATE casebook_auditevent SET action = 'forged' WHERE id = %s", [events[1].pk])
    assert verify_audit_chain.delay().get(timeout=30)["broken_at"] == events[1].pk
    [alert] = mailoutbox
    assert alert.subject == f"Casebook audit chain broken at entry #{events[1].pk}"
    assert sorted(alert.to) == ["admin@casebook.invalid", "overseer@casebook.invalid"]


@pytest.mark.postgres
@pytest.mark.resilience
def test_it_keeps_one_chain_under_concurrent_writers(transactional_db, admin_user):
    def write(worker: int):
        try:
            for n in range(15):
                audit.record("test.concurrent", actor=admin_user, after={"worker": worker, "n": n})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert audit.verify() == (60, None)
