"""Notifications: in the app at once, by e-mail once, never twice for one event, and
nobody else's."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from casebook.services import case_file
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import email_notification
from reviews.services import case_submit, conditions_flag, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def decide(reviewer, decider, **facts):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), **facts)), by=reviewer)
    return decision_issue(
        case=in_review(case),
        by=decider,
        outcome="approved_with_conditions",
        holding="Summaries of public reports cross no red line.",
        rationale="Public data.",
        conditions=[
            {"text": "Keep logs.", "owner": "CISO", "due_date": timezone.localdate() + datetime.timedelta(days=5)},
            {"text": "Train staff.", "owner": "Lead", "due_date": timezone.localdate() - datetime.timedelta(days=1)},
            {"text": "Report yearly.", "owner": "Lead", "due_date": timezone.localdate() + datetime.timedelta(days=90)},
        ],
    )


def test_it_tells_the_filer_and_access_list_a_decision_issued(reviewer, decider, lawyer, framework):
    decision = decide(reviewer, decider, restricted=True, access_list=[lawyer, decider])
    told = Notification.objects.filter(kind="decision_issued")
    assert sorted(n.recipient.username for n in told) == ["lawyer", "reviewer"]
    assert all(n.url == f"/cases/{decision.case_id}/" and "approved with conditions" in n.message for n in told)


def test_it_tells_each_person_once_per_event(reviewer, framework):
    for _ in range(2):
        notify(recipients=[reviewer, reviewer], kind="mentioned", message="You were mentioned.", key="mention:1")
    assert Notification.objects.count() == 1


def test_it_emails_a_notification_once(reviewer, mailoutbox, settings):
    settings.SITE_URL = "https://casebook.example"
    [notification] = notify(recipients=[reviewer], kind="mentioned", message="You were mentioned.", key="m:1")
    assert email_notification.run(notification.pk) is True
    assert email_notification.run(notification.pk) is False
    [mail] = mailoutbox
    assert mail.to == [reviewer.email] and mail.subject == "Casebook: mentioned"
    assert "You were mentioned." in mail.body and "https://casebook.example/" in mail.body


def test_it_releases_the_claim_when_the_mail_server_fails(reviewer, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.Backend"
    [notification] = notify(recipients=[reviewer], kind="mentioned", message="Hello.", key="m:2")
    with pytest.raises(OSError):
        email_notification.run(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None  # so the retry sends it


def test_it_flags_conditions_coming_due_and_overdue_once(reviewer, decider, framework):
    decide(reviewer, decider)
    assert conditions_flag() == {"due": 2, "overdue": 2}
    assert conditions_flag() == {"due": 0, "overdue": 0}
    overdue = Notification.objects.get(kind="condition_overdue", recipient=reviewer)
    assert "Train staff." in overdue.message and "was due" in overdue.message


def test_it_lists_and_counts_unread_in_the_pages(reviewer, decider, framework):
    decide(reviewer, decider)
    pages = signed_in(reviewer)
    assert 'data-testid="unread-count"' in pages.get("/cases/").content.decode()
    notification = Notification.objects.get(recipient=reviewer)
    response = pages.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302 and response.url == notification.url
    read = AuditEvent.objects.get(action="notification.read")
    assert read.actor == reviewer and read.object_repr == f"notification #{notification.pk}"
    assert 'data-testid="unread-count"' not in pages.get("/notifications/").content.decode()


def test_it_keeps_notifications_to_their_recipient(reviewer, decider, lawyer, framework, api_as):
    decide(reviewer, decider)
    notification = Notification.objects.get(recipient=reviewer)
    assert signed_in(lawyer).post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert api_as(lawyer).get(f"/api/notifications/{notification.pk}/").status_code == 404
    assert api_as(lawyer).get("/api/notifications/").json()["count"] == 0
    assert AuditEvent.objects.filter(action="access.denied", actor=lawyer).count() == 2
    mine = api_as(reviewer)
    assert mine.get("/api/notifications/").json()["count"] == 1
    assert mine.post(f"/api/notifications/{notification.pk}/read/").json()["read_at"] is not None


def test_it_shows_no_notifications_to_someone_without_a_role(outsider):
    UserFactory(username="nobody")
    assert signed_in(outsider).get("/notifications/").status_code == 403
