"""The demo's politicians outside the board sign in with `kretsdemo` and every page their own
overview and menu lead to answers without an error."""

import re

import pytest

from members.demo import POLITICIAN_LOGINS
from members.models import BoardAssignment, BodyAssignment, PartyPosition

pytestmark = pytest.mark.usefixtures("tasks_in_process")


@pytest.fixture
def demo(demo, settings):
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False


def test_the_politicians_are_who_their_logins_say_and_hold_no_board_function(demo):
    assert POLITICIAN_LOGINS == [
        "kommunalrad@example.org",
        "gruppledare@example.org",
        "namndordforande@example.org",
    ]
    positions = dict(PartyPosition.objects.values_list("kind", "member__user__email"))
    assert positions == {
        PartyPosition.Kind.COMMISSIONER: "kommunalrad@example.org",
        PartyPosition.Kind.GROUP_LEADER: "gruppledare@example.org",
    }
    chair = BodyAssignment.objects.get(member__user__email="namndordforande@example.org")
    assert (chair.role, chair.body.kind) == ("ordforande", "namnd")
    assert not BoardAssignment.objects.filter(member__user__email__in=POLITICIAN_LOGINS).exists()


@pytest.mark.parametrize("email", POLITICIAN_LOGINS)
def test_a_politician_signs_in_and_every_page_of_their_menu_answers(demo, client, email):
    assert client.login(email=email, password="kretsdemo")
    overview = client.get("/")
    assert overview.status_code == 200
    links = set(re.findall(r'href="(/[^"#?]*)"', overview.content.decode()))
    links -= {"/konton/logout/"}
    assert len(links) >= 3
    for link in sorted(links):
        if link.startswith("/static/"):
            continue
        response = client.get(link)
        assert response.status_code in (200, 302, 403), f"{email} {link}: {response.status_code}"
