"""Notifications e-mailed by a real Celery worker consuming from the real Redis."""

import time

import pytest

from notifications.models import Notification
from reviews.tasks import flag_conditions
from tests.notifications.test_notifications import decide


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.worker
def test_it_emails_on_commit_through_the_worker(celery_worker, reviewer, decider, framework, mailoutbox):
    decide(reviewer, decider)
    wait_for(lambda: len(mailoutbox) == 2)  # the decision-maker's assignment, the filer's decision
    [issued] = [mail for mail in mailoutbox if mail.to == [reviewer.email]]
    assert "approved with conditions" in issued.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    assert flag_conditions.delay().get(timeout=30) == {"due": 2, "overdue": 2}
    wait_for(lambda: len(mailoutbox) == 6)
    assert flag_conditions.delay().get(timeout=30) == {"due": 0, "overdue": 0}
