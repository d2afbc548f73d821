"""The kassör signs in, filters unpaid dues and downloads the CSV."""

import csv
import io

import pytest

from dues.selectors import invoices_with_status

from .fixtures.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kassor_filters_unpaid_dues_and_downloads_the_csv(page, settings, demo):
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False

    sign_in(page, "kassor@example.org", "kretsdemo")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Avgifter").click()
    # The year switch opens the year at once (data-autosubmit); the filter keeps it.
    page.get_by_label("År", exact=True).select_option("2023")
    page.get_by_role("heading", name="Medlemsavgifter 2023").wait_for()
    page.get_by_label("Visa", exact=True).select_option("obetald")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**status=obetald**")
    page.get_by_role("heading", name="Medlemsavgifter 2023").wait_for()
    assert page.get_by_role("cell", name="Betald", exact=True).count() == 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner CSV (Excel)").click()
    download = download_info.value
    assert download.suggested_filename == "avgifter-2023-obetald.csv"
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0][0] == "Namn"
    assert len(table) - 1 == invoices_with_status(year=2023, status="obetald").count() > 0
