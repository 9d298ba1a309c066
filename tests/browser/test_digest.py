"""The precedent digest in a real browser: a lawyer opens it from the header, reads the
month's decisions as they may see them, subscribes to the monthly e-mail, and downloads the
PDF."""

import pytest
from playwright.sync_api import expect

from tests.precedent.test_case_law import law, tagged  # noqa: F401 (fixtures of month_of_law)
from tests.precedent.test_digest import SECRETS, month_of_law, this_month  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lawyer_reads_subscribes_to_and_downloads_the_digest(sign_in, month_of_law, lawyer):  # noqa: F811
    page = sign_in(lawyer)
    page.get_by_role("link", name="Digest").click()
    digest = page.get_by_test_id("digest")
    expect(digest).to_contain_text("Precedent digest")  # last month's, by default
    page.get_by_label("Month").fill(this_month().slug)
    page.get_by_role("button", name="Show").click()
    expect(digest).to_contain_text(this_month().label)
    expect(digest).to_contain_text("We approved summaries of open-source reporting.")
    for secret in SECRETS:  # restricted, and this lawyer is not on their access lists
        expect(digest).not_to_contain_text(secret)

    page.get_by_role("button", name="E-mail me this each month").click()
    expect(page.get_by_role("button", name="Stop the monthly e-mail")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_test_id("digest-pdf").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"
