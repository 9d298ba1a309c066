"""axe-core on every page type, on the demo casebook, at a desktop's width and a phone's:
no serious or critical violation of WCAG 2.1 A and AA anywhere."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from casebook.models import Case, Decision, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    # Evaluated, not added as a <script>: the pages' CSP refuses inline scripts, rightly.
    page.evaluate(AXE.read_text())
    found = page.evaluate("async (rules) => (await axe.run(document, rules)).violations", RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1440, 390])
def test_no_page_type_has_a_serious_or_critical_violation(browser, live_server, width):
    from tests.conftest import PASSWORD

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does).")
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    decided = Case.objects.filter(status="decided", restricted=False).order_by("pk").first()
    decision = Decision.objects.filter(case=decided).first()
    in_review = Case.objects.filter(status="in_review").order_by("pk").first()
    pages = {
        "admin": [
            "/",
            "/dashboard/",
            "/cases/",
            f"/cases/{decided.pk}/",
            f"/decisions/{decision.pk}/memo/",
            f"/decisions/{decision.pk}/graph/",
            "/search/?q=surveillance",
            "/search/saved/",
            "/framework/",
            "/framework/provisions/RL-1/",
            "/framework/provisions/RL-1/case-law/",
            "/framework/revisions/",
            "/framework/revisions/2/diff/",
            "/digest/",
            "/impact/",
            "/notifications/",
            "/audit/",
            "/partners/",
            f"/partners/{decided.partner_id}/",
            "/no-such-page/",
        ],
        "reviewer": ["/cases/new/", f"/cases/{decided.pk}/comments/"],
        "decider": [f"/cases/{in_review.pk}/decide/"] if in_review else [],
    }
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    page.goto("/accounts/login/")
    found = violations(page)
    if found:
        problems["/accounts/login/"] = found
    for username, paths in pages.items():
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        for path in paths:
            page.goto(path)
            found = violations(page)
            if found:
                problems[f"{username} {path}"] = found
        page.context.clear_cookies()
    context.close()
    assert problems == {}, problems
