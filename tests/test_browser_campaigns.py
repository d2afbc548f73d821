"""The kampanjansvarig plans next month's paid marketing in a real browser."""

import pytest
from django.utils import timezone

from campaigns.models import next_month

from .conftest import make_person
from .factories import PASSWORD
from .fixtures.browser import sign_in
from .fixtures.campaigns import ChannelFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_planning_two_channels_next_month_removes_the_warning(page, settings):
    settings.KRETS_REQUIRE_MFA = False  # the sign-in itself is tested elsewhere
    for name in ("Facebook", "Instagram", "Sandvikens Tidning"):
        ChannelFactory(name=name)
    user = make_person("kampanjansvarig", two_factor=False)
    coming = next_month(timezone.localdate())

    sign_in(page, user.email, PASSWORD)
    page.get_by_role("link", name="Kampanjer").first.click()
    month_name = page.evaluate(
        "d => new Date(d).toLocaleDateString('sv-SE', {month: 'long'})", coming.isoformat()
    )
    warning = page.get_by_test_id("paid-marketing-warning").filter(has_text=month_name)
    assert warning.count() == 1

    warning.get_by_role("link", name="Planera").click()
    page.get_by_label("Facebook: planerat (kr)").fill("1 500")
    page.get_by_label("Instagram: planerat (kr)").fill("750,50")
    page.get_by_role("button", name="Spara").click()

    page.get_by_text("är sparad").wait_for()
    assert "2 250,50 kr" in page.content()
    page.get_by_role("link", name="Kampanjer").first.click()
    assert page.get_by_test_id("paid-marketing-warning").filter(has_text=month_name).count() == 0
