"""Names and titles carry no control or bidirectional-override characters (issue 13, item 7)."""

import pytest
from django.urls import reverse

from krets.text import clean_line
from members.importing import import_check
from members.models import Member

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Anna\u202eatsiL" reads as "AnnaListа" backwards


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"Anna{RLO}nossnaH", "AnnanossnaH"),
        ("\u2066Eva\u2069 \u200fBerg\u200e", "Eva Berg"),
        ("Per\x00\x07\x1b[31m", "Per[31m"),
        ("Kalle\x9b\x85Anka", "Kalle Anka"),
        ("Budget\n2024\tplan", "Budget 2024 plan"),
        ("Åsa Öhman-Ängström", "Åsa Öhman-Ängström"),
        ("עברית ועוד", "עברית ועוד"),  # right-to-left script itself is welcome
    ],
)
def test_clean_line_removes_controls_and_bidi_overrides(raw, clean):
    assert clean_line(raw) == clean


def test_member_name_is_stored_without_override_characters(client_as):
    client = client_as("medlemsansvarig")
    response = client.post(
        reverse("members:create"),
        {
            "first_name": f"{RLO}Åsa",
            "last_name": "Öhman\u2067\x1b",
            "email": "asa@example.org",
            "joined_on": "2026-11-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(email="asa@example.org")
    assert (member.first_name, member.last_name) == ("Åsa", "Öhman")


def test_a_name_of_only_override_characters_is_refused(client_as):
    client = client_as("medlemsansvarig")
    response = client.post(
        reverse("members:create"),
        {"first_name": RLO, "last_name": "Berg", "joined_on": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "Fältet måste innehålla text." in response.content.decode()
    assert not Member.objects.filter(last_name="Berg").exists()


def test_meeting_title_is_stored_without_override_characters(client_as):
    from meetings.models import Meeting

    client = client_as("sekreterare")
    response = client.post(
        reverse("meetings:create"),
        {
            "kind": "styrelsemote",
            "title": f"Styrelsemöte{RLO}txt.exe",
            "starts_at": "2030-03-01T18:00",
            "ends_at": "2030-03-01T20:00",
            "status": "beslutad",
            "video_url": "https://meet.example.org/styrelsen",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    titles = list(Meeting.objects.values_list("title", flat=True))
    assert titles == ["Styrelsemötetxt.exe"], titles


def test_imported_names_are_cleaned():
    content = f"Förnamn;Efternamn\n{RLO}Anna;Berg\u200f\n".encode()
    rows = import_check("lista.csv", content)
    assert rows[0].data["first_name"] == "Anna" and rows[0].data["last_name"] == "Berg"


def _admin_form(model, request_user, instance):
    from django.contrib import admin
    from django.forms.models import model_to_dict
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = request_user
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, obj=instance, change=True)
    data = {k: v for k, v in model_to_dict(instance).items() if v is not None}
    return form_class, data


def test_the_admin_member_and_user_forms_strip_override_characters():
    from tests.factories import MemberFactory, UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    member = MemberFactory()
    form_class, data = _admin_form(Member, staff, member)
    data.update(
        first_name=f"{RLO}Åsa", last_name="Öhman\x1b", town="Sand\u2067viken", member_number=4711
    )
    form = form_class(data=data, instance=member)
    assert form.is_valid(), form.errors
    form.save()
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.town) == ("Åsa", "Öhman", "Sandviken")

    user = UserFactory()
    form_class, data = _admin_form(type(user), staff, user)
    data.update(first_name=f"Eva{RLO}", last_name="\u202dBerg")
    data.update(date_joined_0="2026-01-01", date_joined_1="10:00:00")  # the admin's split widget
    form = form_class(data=data, instance=user)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["first_name"], form.cleaned_data["last_name"]) == ("Eva", "Berg")


def test_the_self_service_form_strips_override_characters_from_the_address(client):
    from members.tokens import SELF_SERVICE, member_token
    from tests.factories import MemberFactory

    member = MemberFactory(email="asa@example.org")
    url = reverse("members:self_service", args=[member_token(member.pk, SELF_SERVICE)])
    response = client.post(
        url,
        {
            "email": member.email,
            "phone": "",
            "address": f"Storgatan{RLO} 1",
            "postcode": "811\x1b30",
            "town": "\u2066Sandviken",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.address, member.postcode, member.town) == ("Storgatan 1", "81130", "Sandviken")
