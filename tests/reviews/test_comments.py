"""Comments on a case, with @mentions that tell the person mentioned; never a way to reveal
a restricted case, or to draw in someone recused."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file
from notifications.models import Notification
from reviews.models import Comment
from reviews.services import assignment_add, assignment_recuse, case_submit
from tests.factories import PartnerFactory, UserFactory, case_facts


@pytest.fixture
def case(reviewer, framework):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def comment(api, case, body):
    return api.post(f"/api/cases/{case.pk}/comments/", {"body": body}, format="json")


def test_it_keeps_the_discussion_and_tells_each_person_mentioned(case, reviewer, decider, lawyer, api_as):
    response = comment(api_as(reviewer), case, "@decider and @Lawyer: does F-3 apply? Mail me at r@casebook.invalid.")
    assert response.status_code == 201
    assert response.json()["mentions"] == ["decider", "lawyer"] and response.json()["author"] == "reviewer"
    told = Notification.objects.filter(kind="mentioned").order_by("recipient__username")
    assert [n.recipient.username for n in told] == ["decider", "lawyer"]
    assert "Riley Reviewer mentioned you" in told[0].message and told[0].case == case
    assert AuditEvent.objects.filter(action="comment.added", object_id=str(case.pk)).count() == 1
    comment(api_as(lawyer), case, "It does, @reviewer.")
    listed = api_as(decider).get(f"/api/cases/{case.pk}/comments/").json()
    assert [(c["author"], c["mentions"]) for c in listed] == [
        ("reviewer", ["decider", "lawyer"]),
        ("lawyer", ["reviewer"]),
    ]


def test_it_does_not_tell_the_author_about_their_own_mention(case, reviewer, api_as):
    assert comment(api_as(reviewer), case, "Note to self, @reviewer.").status_code == 201
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field may not be blank."),
        ("   ", "This field may not be blank."),
        ("Ask @nobody.", "Nobody here is called @nobody."),
        ("x" * 5001, "no more than 5000 characters"),
    ],
)
def test_it_refuses_a_bad_comment_with_a_field_error(case, reviewer, api_as, body, message):
    response = comment(api_as(reviewer), case, body)
    assert response.status_code == 400 and message in str(response.json()["body"])
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_a_mention_on_a_restricted_case_keeps_the_words_in_the_app(reviewer, lawyer, framework, api_as):
    facts = case_facts(PartnerFactory(), restricted=True, access_list=[lawyer])
    restricted = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    response = comment(api_as(reviewer), restricted, "@lawyer, the source is in the annex.")
    told = Notification.objects.get(kind="mentioned")
    assert "annex" not in told.message and told.url == f"/cases/{restricted.pk}/#comment-{response.json()['id']}"


def test_it_refuses_to_mention_someone_not_cleared_for_a_restricted_case(reviewer, lawyer, decider, framework, api_as):
    facts = case_facts(PartnerFactory(), restricted=True, access_list=[lawyer])
    restricted = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    response = comment(api_as(reviewer), restricted, "@lawyer, @decider: a view?")
    assert response.status_code == 400
    assert response.json() == {
        "body": ["@decider is not cleared for this case: add them to its need-to-know list first."]
    }
    assert not Notification.objects.filter(recipient=decider).exists() and not Comment.objects.exists()
    assert comment(api_as(decider), restricted, "Hello?").status_code == 404


def test_a_recused_person_takes_no_part_in_the_discussion(case, reviewer, decider, admin_user, api_as):
    assignment_add(case=case, person=decider, duty="decision_maker", by=admin_user)
    comment(api_as(reviewer), case, "A first view.")
    assignment_recuse(case=case, by=decider, statement="I advised the partner.")
    api = api_as(decider)
    assert api.get(f"/api/cases/{case.pk}/comments/").status_code == 403
    assert comment(api, case, "Let me add something.").status_code == 403
    assert "@decider is recused" in str(comment(api_as(reviewer), case, "What do you think, @decider?").json())
    page = signed_in(decider).get(f"/cases/{case.pk}/").content.decode()
    assert "discussion is closed to you" in page and "A first view." not in page
    assert signed_in(decider).post(f"/cases/{case.pk}/comments/", {"body": "Hm."}).status_code == 403
    assert Comment.objects.count() == 1
    denied = AuditEvent.objects.filter(action="access.denied", actor=decider)
    assert sorted(e.after["view"] for e in denied) == ["api:case-comments", "api:case-comments", "case-comment"]
    assert "recused from" in api_as(decider).get(f"/api/cases/{case.pk}/comments/").json()["detail"]


@pytest.mark.parametrize(("persona", "code"), [("overseer", 403), ("outsider", 403), ("decider", 201)])
def test_oversight_reads_but_does_not_comment(case, personas, api_as, persona, code):
    api = api_as(personas[persona])
    assert comment(api, case, "A remark.").status_code == code
    if persona == "overseer":
        assert api.get(f"/api/cases/{case.pk}/comments/").status_code == 200


def test_the_case_page_posts_a_comment_and_shows_a_refusal_beside_the_field(case, reviewer, decider):
    page = signed_in(reviewer)
    posted = page.post(f"/cases/{case.pk}/comments/", {"body": "Over to you, @decider."})
    assert posted.status_code == 302 and posted["Location"] == f"/cases/{case.pk}/#comments"
    shown = page.get(f"/cases/{case.pk}/").content.decode()
    assert "Over to you, @decider." in shown and 'id="comments"' in shown
    refused = page.post(f"/cases/{case.pk}/comments/", {"body": "And @ghost?"})
    assert refused.status_code == 200
    assert 'class="usa-error-message"' in refused.content.decode()
    assert "Nobody here is called @ghost." in refused.content.decode()
    assert "And @ghost?" in refused.content.decode()  # what was typed is kept


def test_through_htmx_it_answers_the_discussion_alone(case, reviewer):
    page = signed_in(reviewer)
    swapped = page.post(f"/cases/{case.pk}/comments/", {"body": "Swapped in."}, HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200
    html = swapped.content.decode()
    assert html.lstrip().startswith('<section class="margin-y-3" id="comments"') and "Swapped in." in html
    refused = page.post(f"/cases/{case.pk}/comments/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "usa-error-message" in refused.content.decode()


def test_a_mention_of_another_reviewer_with_a_dotted_name_tells_them(case, reviewer, api_as):
    UserFactory(username="j.doe", roles=["reviewer"])
    comment(api_as(reviewer), case, "Agreed with @j.doe.")
    assert Notification.objects.get(kind="mentioned").recipient.username == "j.doe"
