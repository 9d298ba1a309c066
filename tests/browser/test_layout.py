"""The layout on a phone (390 px) and on desktops (1280 and 1440 px): the menu, the header
and pages that never scroll sideways."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casebook.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What of the header lies off the page or over the logo, and how many rows its links take.
HEADER = """() => {
  const box = (element) => element.getBoundingClientRect();
  const logo = box(document.querySelector(".usa-logo"));
  const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const items = [...document.querySelectorAll(".usa-nav a, .usa-nav button:not(.usa-nav__close)")];
  const rows = (selector) => new Set([...document.querySelectorAll(selector)].map((e) => Math.round(box(e).top))).size;
  return {
    misplaced: items.filter((e) => box(e).right > window.innerWidth || box(e).left < 0 || over(box(e), logo))
      .map((e) => e.textContent.trim()),
    primaryRows: rows(".usa-nav__primary-item"),
    secondaryRows: rows(".usa-nav__secondary-item"),
  };
}"""


@pytest.fixture
def demo_casebook(personas):
    # The personas first, so the demo keeps their passwords and adds its cases around them.
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def test_the_phone_menu_stays_closed_until_opened_and_closes_again(sign_in, phone, reviewer):
    sign_in(reviewer)
    nav = phone.get_by_role("navigation", name="Primary navigation")
    expect(nav).to_be_hidden()
    expect(phone.get_by_role("heading", name="My work")).to_be_visible()

    phone.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Cases", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    nav.get_by_role("button", name="Close").click()
    expect(nav).to_be_hidden()

    phone.get_by_role("button", name="Menu").click()
    nav.get_by_role("link", name="Cases", exact=True).click()
    expect(phone.get_by_role("heading", name="Cases")).to_be_visible()
    expect(nav).to_be_hidden()


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_header_fits_on_a_desktop_for_every_role(sign_in, page, personas, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, user in personas.items():
        page.context.clear_cookies()
        sign_in(user)
        expect(page.get_by_role("navigation", name="Primary navigation")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        header = page.evaluate(HEADER)
        assert header["misplaced"] == [], (name, width, header)
        assert header["primaryRows"] <= 1 and header["secondaryRows"] <= 1, (name, width, header)


def test_no_main_page_scrolls_sideways_on_a_phone(sign_in, phone, demo_casebook, admin_user):
    sign_in(admin_user)
    decided = Case.objects.filter(status="decided", restricted=False).order_by("pk").first()
    pages = [
        "/",
        "/dashboard/",
        "/cases/",
        f"/cases/{decided.pk}/",
        "/search/?q=surveillance",
        "/framework/",
        "/digest/",
    ]
    for path in pages:
        phone.goto(path)
        # What a reader may unfold (reopening, "not similar?", filters) must fit too.
        phone.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
        width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
