"""Notifications e-mailed by a real Celery worker consuming from the real Redis."""

import time

import pytest

from reviews.models import Notification
from reviews.tasks import flag_conditions
from tests.reviews.test_notifications import decide


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.worker
def test_it_emails_on_commit_through_the_worker(celery_worker, reviewer, decider, framework, mailoutbox):
    decide(reviewer, decider)
    wait_for(lambda: len(mailoutbox) == 1)
    assert mailoutbox[0].to == [reviewer.email] and "approved with conditions" in mailoutbox[0].body
    assert Notification.objects.get(recipient=reviewer).emailed_at is not None

    assert flag_conditions.delay().get(timeout=30) == {"due": 2, "overdue": 2}
    wait_for(lambda: len(mailoutbox) == 5)
    assert flag_conditions.delay().get(timeout=30) == {"due": 0, "overdue": 0}
