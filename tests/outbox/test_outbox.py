"""Tasks asked for by a change go through the outbox: written with the change, relayed after
commit, kept while the broker is down and sent once it is back; none is lost, and no
committed change is reported as failed."""

import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.db import transaction

from casebook.services import case_file
from notifications.models import Notification
from notifications.services import notify
from outbox.models import QueuedTask
from outbox.services import MAX_ATTEMPTS, relay, relay_all
from outbox.tasks import relay_outbox
from reviews.services import case_submit
from tests.factories import PartnerFactory, case_facts
from tests.notifications.test_notification_worker import wait_for
from tests.resilience.figures import add

DECISION = {"outcome": "approved", "holding": "Public summaries cross no red line.", "rationale": "Public."}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker_at(url: str, *, in_process: bool = False):
    """The Celery app pointed at another broker (or running tasks in-process) for a while."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, in_process
    forget_connections(app)
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        forget_connections(app)


def forget_connections(app):
    # The app keeps its connection pools once made; made again, they use the new broker_url.
    app._pool = None
    app.amqp._producer_pool = None


class Redis:
    """A Redis of the test's own, on a port of its own, that the test can stop and start."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def in_process():
    """Tasks run where they are sent, as in the embedded default, whatever the leg."""
    with broker_at("memory://", in_process=True):
        yield


def file_and_submit(reviewer):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def assign_comment_decide(api, case) -> list[int]:
    """What the probe did while the broker was down, through the API; the status codes."""
    codes = [
        api.post(f"/api/cases/{case.pk}/assignments/", {"person": "decider", "duty": "decision_maker"}, format="json"),
        api.post(f"/api/cases/{case.pk}/comments/", {"body": "Ready for a decision, @reviewer."}, format="json"),
        api.post(f"/api/cases/{case.pk}/start-review/"),
        api.post(f"/api/cases/{case.pk}/decision/", DECISION, format="json"),
    ]
    return [response.status_code for response in codes]


def test_a_rolled_back_change_asks_for_nothing(reviewer, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[reviewer], kind="mentioned", message="You were mentioned.", key="mention:1")
        raise RuntimeError("the change fails")
    assert not QueuedTask.objects.exists() and mailoutbox == []


def test_a_committed_change_answers_at_once_with_the_broker_unreachable(
    reviewer, decider, framework, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    case = file_and_submit(reviewer)
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            codes = assign_comment_decide(api_as(decider), case)
        elapsed = time.monotonic() - started
    assert codes == [201, 201, 200, 201] and elapsed < 10
    case.refresh_from_db()
    assert case.status == "decided"
    told = Notification.objects.count()
    assert told >= 2 and mailoutbox == []
    # Every e-mail and the saved-search alert wait for the broker.
    waiting = sorted(QueuedTask.objects.values_list("task", flat=True))
    assert waiting.count("reviews.tasks.email_notification") == told
    assert "casebook.tasks.alert_saved_searches" in waiting

    with broker_at("memory://", in_process=True):  # the broker is back; here, tasks run in-process
        assert relay_all() == len(waiting)
    assert len(mailoutbox) == len([n for n in Notification.objects.all() if n.recipient.email])
    assert not QueuedTask.objects.exists()


def test_a_task_that_fails_in_process_is_kept_and_tried_again(
    in_process, reviewer, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[reviewer], kind="mentioned", message="You were mentioned.", key="mention:1")
    [waiting] = QueuedTask.objects.all()
    assert waiting.attempts == 1 and "mail server down" in waiting.last_error
    assert Notification.objects.get().emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert relay() == 1
    assert [mail.to for mail in mailoutbox] == [[reviewer.email]]
    assert not QueuedTask.objects.exists()


def test_a_task_that_keeps_failing_is_left_for_an_operator(in_process, reviewer, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.Backend"
    notify(recipients=[reviewer], kind="mentioned", message="You were mentioned.", key="mention:1")
    for _ in range(MAX_ATTEMPTS + 2):
        relay()
    assert QueuedTask.objects.get().attempts == MAX_ATTEMPTS


def test_a_long_relay_holds_each_row_from_when_it_took_it(in_process, reviewer, settings, monkeypatch):
    from datetime import timedelta

    from outbox import services
    from tests.notifications.failing_mail import Slow

    monkeypatch.setattr(services, "CLAIM_EXPIRES", timedelta(seconds=0.2))
    monkeypatch.setattr(Slow, "free_while_sending", [])
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.Slow"
    for n in range(3):
        notify(recipients=[reviewer], kind="mentioned", message="You were mentioned.", key=f"mention:{n}")
    assert relay() == 3
    assert Slow.free_while_sending == []  # no row was open to a second relay while being sent


@pytest.mark.worker
@pytest.mark.resilience
def test_what_a_broker_outage_held_back_is_delivered_once_it_returns(
    transactional_db, reviewer, decider, framework, api_as, mailoutbox
):
    from celery.contrib.testing.worker import start_worker

    from precedent.services import saved_search_save

    saved_search_save(owner=decider, name="Public summaries", query="q=public")
    case = file_and_submit(reviewer)
    redis = Redis()
    redis.start()
    try:
        with broker_at(redis.url) as app:
            redis.stop()
            started = time.monotonic()
            codes = assign_comment_decide(api_as(decider), case)
            assert codes == [201, 201, 200, 201] and time.monotonic() - started < 10
            held = QueuedTask.objects.filter(task="reviews.tasks.email_notification").count()
            assert held >= 2 and QueuedTask.objects.filter(task="casebook.tasks.alert_saved_searches").exists()
            assert mailoutbox == []

            redis.start()
            with start_worker(app, pool="solo", queues=["celery"], perform_ping_check=False, shutdown_timeout=10):
                relay_outbox.delay()  # beat's next tick
                wait_for(lambda: Notification.objects.filter(kind="saved_search", recipient=decider).exists())
                unsent = Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
                wait_for(lambda: not QueuedTask.objects.exists() and not unsent.exists())
    finally:
        if redis.process.poll() is None:
            redis.stop()
    # Each e-mail held back by the outage, and the alert's made after it, sent once.
    add("notifications held back by the broker outage", held)
    add("notifications delivered after it returned", len(mailoutbox) - 1)
    assert len(mailoutbox) == Notification.objects.exclude(recipient__email="").count() == held + 1
