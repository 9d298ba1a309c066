"""The monthly precedent digest: new decisions with their digests and headnotes, changes
of precedent status, revisions and their impact, the pattern of the provisions most
applied; as each reader may see it, on the page, in the API, as a PDF and by e-mail, once
a month."""

import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from audit.models import AuditEvent
from casebook.models import User
from casebook.services import case_file, case_set_tags
from precedent.digest import digest, month
from precedent.models import DigestSubscription
from precedent.services import digest_subscribe
from precedent.tasks import email_digest, send_digests
from principles import services as framework
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, case_facts, in_review
from tests.precedent.test_case_law import law, tagged  # noqa: F401 (the fixture)
from tests.reviews.test_headnotes import issue
from tests.transfer.test_transfer import empty_the_database, without_import_entry
from transfer.services import export_casebook, import_casebook

SECRETS = ("Secret sentencing aid", "Secret triage extension")
# Who may see the restricted decisions: their filer, their decision-maker, oversight and
# the lawyer on their access list; legal and admin otherwise may not.
CLEARED = {"reviewer": True, "decider": True, "overseer": True, "lawyer": False, "admin": False}


@pytest.fixture
def in_process():
    """Tasks run as they are relayed, on either leg: the e-mail is what is tested here (the
    worker leg's notification tests send through a real worker)."""
    from config.celery import app

    saved, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def month_of_law(request, reviewer, decider):
    """The case law of test_case_law's `law` and, this month too: a decision with a public
    digest, and a restricted one distinguishing a decision everybody may see."""
    cases = request.getfixturevalue("law")
    case = case_submit(
        case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Open-source summaries")), by=reviewer
    )
    case_set_tags(case=case, by=reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    public = decision_issue(
        case=in_review(case, opinions=("approved", "approved")),
        by=decider,
        outcome="approved",
        holding="Summarising public reports advances P-1.",
        rationale="Public data only.",
        public_digest="We approved summaries of open-source reporting.",
    )
    issue(
        reviewer,
        decider,
        tags=tagged("implicated_mitigated"),
        title="Secret triage extension",
        restricted=True,
        access_list=[cases["cleared"]],
        citations=[
            {"decision": cases["mitigated"].pk, "provision": "RL-2", "treatment": "distinguishes", "reason": "Other."}
        ],
    )
    return {**cases, "public": public}


def this_month():
    return month(f"{timezone.localdate():%Y-%m}")


def read(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/digest/", {"month": this_month().slug, **params})


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_it_gathers_the_month_s_decisions_with_their_digests_and_headnotes(month_of_law, lawyer):
    body = read(lawyer).json()
    decisions = {d["title"]: d for d in body["decisions"]}
    assert "Automated benefit denials" in decisions and not set(SECRETS) & set(decisions)
    headnotes = [h["text"] for h in decisions["Automated benefit denials"]["headnotes"]]
    assert "Denying benefits with no human review crosses RL-2." in headnotes
    public = decisions["Open-source summaries"]
    assert public["public_digest"] == "We approved summaries of open-source reporting."
    assert public["holding"] == "Summarising public reports advances P-1." and public["outcome"] == "approved"
    assert body["month"] == this_month().slug and body["label"] == f"{timezone.localdate():%B %Y}"


def test_it_names_the_overrulings_and_distinctions_both_sides_of_which_the_reader_sees(month_of_law, lawyer):
    [overruling] = read(lawyer).json()["status_changes"]
    assert overruling["treatment"] == "overrules" and overruling["cited"] == month_of_law["overruled"].pk
    cleared = read(month_of_law["cleared"]).json()["status_changes"]
    assert [c["treatment"] for c in cleared] == ["overrules", "distinguishes"]


def test_the_pattern_is_that_of_the_provisions_the_month_applied_most(month_of_law, lawyer):
    patterns = read(lawyer).json()["patterns"]
    assert [p["provision"] for p in patterns] == ["RL-2", "P-1"]
    # The overruled decision was "not implicated", which applies nothing; the secret ones are hidden.
    assert patterns[0]["applied"] == 5 and patterns[0]["summary"].startswith("RL-2 implicated but mitigated")
    assert read(month_of_law["cleared"]).json()["patterns"][0]["applied"] == 7


def test_a_revision_says_how_many_live_decisions_the_reader_sees_rested_on_the_old_wording(
    month_of_law, lawyer, admin_user
):
    draft = framework.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    framework.revision_publish(revision=draft, by=admin_user)
    # The framework's first two revisions were loaded this month too.
    [revision] = [r for r in read(lawyer).json()["revisions"] if r["number"] == 3]
    assert revision["number"] == 3 and revision["change_summary"] == "Sharpen RL-2."
    [change] = revision["changes"]
    assert (change["provision"], change["change"]) == ("RL-2", "changed")
    # Five live decisions the lawyer sees rested on RL-2 (not the one that found it not
    # implicated); the cleared see the two restricted ones too.
    assert change["rested_on"] == revision["rested_on"] == 5
    assert read(month_of_law["cleared"]).json()["revisions"][-1]["rested_on"] == 7


def test_it_covers_the_days_asked_for_and_a_month_defaults_to_the_last_full_one(month_of_law, lawyer):
    today = timezone.localdate()
    assert digest(seen_by=lawyer, start=today, end=today).decisions
    yesterday = today - datetime.timedelta(days=1)
    assert digest(seen_by=lawyer, start=yesterday - datetime.timedelta(days=30), end=yesterday).empty
    assert month(today=datetime.date(2026, 3, 1)).slug == "2026-02"
    assert month(today=datetime.date(2026, 1, 20)) == month("2025-12", today=datetime.date(2026, 1, 20))
    assert month("2024-02").end == datetime.date(2024, 2, 29)


def test_every_role_reads_it_and_only_the_cleared_see_a_restricted_decision(month_of_law, personas):
    for name, person in personas.items():
        if name == "outsider":
            assert read(person).status_code == 403
            assert signed_in(person).get("/digest/").status_code == 403
            assert signed_in(person).get(f"/digest/{this_month().slug}.pdf").status_code == 403
            continue
        api = read(person)
        html = signed_in(person).get("/digest/", {"month": this_month().slug}).content.decode()
        pdf = pdf_text(signed_in(person).get(f"/digest/{this_month().slug}.pdf"))
        assert api.status_code == 200 and 'data-testid="digest"' in html and "Automated benefit denials" in pdf, name
        for secret in SECRETS:
            assert (secret in str(api.json())) == CLEARED[name], (name, secret)
            assert (secret in html) == CLEARED[name], (name, secret)
            assert (secret in pdf) == CLEARED[name], (name, secret)
    assert all(secret in str(read(month_of_law["cleared"]).json()) for secret in SECRETS)


def test_anonymous_is_sent_to_sign_in(month_of_law):
    assert APIClient().get("/api/digest/").status_code in (401, 403)
    assert APIClient().post("/api/digest/subscription/").status_code in (401, 403)
    for path in ("/digest/", f"/digest/{this_month().slug}.pdf"):
        answer = Client().get(path)
        assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_oversight_s_reading_of_a_restricted_decision_is_on_the_record(month_of_law, overseer):
    read(overseer)
    signed_in(overseer).get(f"/digest/{this_month().slug}.pdf")
    reads = AuditEvent.objects.filter(action="case.restricted_read", actor=overseer)
    assert {e.after["via"] for e in reads} == {"the precedent digest"}
    assert reads.count() == 4  # two restricted cases, read twice


def test_a_bad_month_is_refused_beside_the_field(month_of_law, lawyer):
    for bad in ("2026-13", "November", "2999-01"):
        answer = read(lawyer, month=bad)
        assert answer.status_code == 400 and list(answer.json()) == ["month"], bad
    html = signed_in(lawyer).get("/digest/", {"month": "2026-13"}).content.decode()
    assert 'id="id_month-error"' in html and "Give a month as YYYY-MM" in html
    answer = signed_in(lawyer).get("/digest/2999-01.pdf")
    assert answer.status_code == 400 and "has not begun" in answer.content.decode()


def test_subscribing_is_on_the_record_and_the_page_offers_it(lawyer, outsider, api_as):
    assert api_as(lawyer).post("/api/digest/subscription/").status_code == 201
    assert api_as(lawyer).post("/api/digest/subscription/").status_code == 201  # once is enough
    assert api_as(lawyer).delete("/api/digest/subscription/").status_code == 204
    assert api_as(lawyer).delete("/api/digest/subscription/").status_code == 204
    actions = list(AuditEvent.objects.filter(actor=lawyer).values_list("action", flat=True))
    assert actions.count("digest.subscribed") == 1 and actions.count("digest.unsubscribed") == 1
    assert api_as(outsider).post("/api/digest/subscription/").status_code == 403
    page = signed_in(lawyer)
    assert "E-mail me this each month" in page.get("/digest/").content.decode()
    assert page.post("/digest/subscription/", {"subscribe": "yes"}).status_code == 302
    assert "Stop the monthly e-mail" in page.get("/digest/").content.decode()
    page.post("/digest/subscription/", {"subscribe": "no"})
    assert AuditEvent.objects.filter(actor=lawyer, action="digest.unsubscribed").count() == 2


def test_each_subscriber_is_mailed_the_month_once_as_they_may_see_it(
    in_process, month_of_law, personas, mailoutbox, django_capture_on_commit_callbacks
):
    subscribers = {name: person for name, person in personas.items() if name != "outsider"}
    for person in [*subscribers.values(), month_of_law["cleared"]]:
        digest_subscribe(by=person)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(this_month().slug) == 6
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(this_month().slug) == 0  # beat's retry asks for nothing twice
    assert email_digest(subscribers["lawyer"].pk, this_month().slug) is False  # nor a relay sending again
    digests = [message for message in mailoutbox if "precedent digest" in message.subject]
    mail = {message.to[0]: message for message in digests}
    assert len(digests) == len(mail) == 6
    for name, person in subscribers.items():
        body = mail[person.email].body
        assert "Automated benefit denials" in body and "We approved summaries of open-source reporting." in body
        assert "Denying benefits with no human review crosses RL-2." in body
        assert all((secret in body) == CLEARED[name] for secret in SECRETS), name
        assert mail[person.email].subject == f"Casebook: the precedent digest for {this_month().label}"
    assert all(secret in mail[month_of_law["cleared"].email].body for secret in SECRETS)


def test_beat_sends_last_month_s_and_not_to_who_unsubscribed(
    in_process, month_of_law, lawyer, overseer, mailoutbox, django_capture_on_commit_callbacks
):
    digest_subscribe(by=lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    [sent] = [message for message in mailoutbox if "precedent digest" in message.subject]
    assert month().label in sent.subject and "Automated benefit denials" not in sent.body  # all issued this month
    digest_subscribe(by=overseer)
    overseer.digest_subscription.delete()
    assert email_digest(overseer.pk, month().slug) is False


def test_subscriptions_and_what_was_sent_round_trip_through_export_and_import(
    in_process, month_of_law, lawyer, mailoutbox, django_capture_on_commit_callbacks
):
    digest_subscribe(by=lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(this_month().slug)
    exported = export_casebook()
    empty_the_database()
    import_casebook(json.loads(json.dumps(exported)), source="backup.json")
    assert without_import_entry(export_casebook()) == without_import_entry(exported)
    restored = User.objects.get(username="lawyer")
    assert DigestSubscription.objects.filter(user=restored).exists()
    assert email_digest(restored.pk, this_month().slug) is False  # sent before the backup: not again
