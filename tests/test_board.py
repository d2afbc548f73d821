"""The ordförande invites people to the board; the audit log records it all."""

import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from krets.models import AuditEvent
from members.models import BoardAssignment, Member, User

pytestmark = pytest.mark.django_db


def invite(client, **data):
    form = {"first_name": "Britt", "last_name": "Ahlgren", "email": "britt@example.org"}
    form.update(function="kassor", year=2026)
    form.update(data)
    return client.post(reverse("members:board_invite"), form)


def test_invited_person_sets_a_password_and_signs_in(
    client, person, mailoutbox, django_capture_on_commit_callbacks, tasks_in_process
):
    client.force_login(person("ordforande"))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client)
    assert response.status_code == 302

    member = Member.objects.get(email="britt@example.org")
    assert BoardAssignment.objects.filter(member=member, function="kassor", year=2026).exists()
    assert not member.user.has_usable_password()
    (mail,) = mailoutbox
    assert mail.to == ["britt@example.org"]
    assert "Välkommen till Kretsportalen" in mail.subject
    link = re.search(r"https?://\S+/konton/password/reset/key/\S+/", mail.body).group(0)

    path = re.sub(r"^https?://[^/]+", "", link)

    newcomer = Client()
    form_page = newcomer.get(path, follow=True)  # allauth moves the key into the session
    assert 'name="password1"' in form_page.content.decode()
    new_password = {"password1": "sommar-i-storvik-2026", "password2": "sommar-i-storvik-2026"}
    response = newcomer.post(form_page.redirect_chain[-1][0], new_password)
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("sommar-i-storvik-2026")
    assert (
        Client()
        .post(
            reverse("account_login"), {"login": member.email, "password": "sommar-i-storvik-2026"}
        )
        .status_code
        == 302
    )
    # The link works once only.
    assert 'name="password1"' not in Client().get(path, follow=True).content.decode()
    assert AuditEvent.objects.filter(action="account_invited", target="britt@example.org").exists()
    assert AuditEvent.objects.filter(action="rights_granted").exists()


def test_invite_form_errors_are_in_swedish_and_nothing_is_saved(client, person):
    client.force_login(person("ordforande"))
    response = invite(client, email="inte-en-adress")
    assert response.status_code == 200
    assert "Fyll i en giltig e-postadress" in response.content.decode()
    assert not Member.objects.filter(first_name="Britt").exists()


def test_only_the_chair_manages_the_board(client, person):
    client.force_login(person("vice-ordforande"))
    assert invite(client).status_code == 403
    assert not User.objects.filter(email="britt@example.org").exists()


def test_audit_log_cannot_be_changed_or_deleted():
    event = AuditEvent.objects.create(action="login", actor_label="a@example.org")
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.actor_label == "a@example.org"


def test_sign_ins_and_failures_are_logged_with_address(client, person):
    user = person("medlem")
    client.post(reverse("account_login"), {"login": user.email, "password": "fel"})
    client.post(
        reverse("account_login"), {"login": user.email, "password": "ett-langt-losenord-2023"}
    )
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label", "ip"))
    assert actions == [
        ("login_failed", user.email, "127.0.0.1"),
        ("login", user.email, "127.0.0.1"),
    ]


def test_chair_reads_the_audit_log_and_others_cannot(client, person):
    AuditEvent.objects.create(action="members_exported", actor_label="kassor@example.org")
    client.force_login(person("ordforande"))
    page = client.get(reverse("audit_log")).content.decode()
    assert "kassor@example.org" in page and "Medlemsuppgifter exporterade" in page
    client.force_login(person("kassor"))
    assert client.get(reverse("audit_log")).status_code == 403


def test_board_page_lists_functions_in_the_plans_order(client, person):
    chair = person("ordforande")
    person("ledamot")
    person("kassor")
    client.force_login(chair)
    functions = [a.function for a in client.get(reverse("members:board")).context["assignments"]]
    assert functions == ["ordforande", "kassor", "ledamot"]


def test_chair_cannot_remove_their_own_chair_assignment(client, person):
    chair = person("ordforande")
    client.force_login(chair)
    own = BoardAssignment.objects.get(member__user=chair)
    response = client.post(reverse("members:board_remove", args=[own.pk]), follow=True)
    assert "Du kan inte ta bort ditt eget ordförandeuppdrag" in response.content.decode()
    assert BoardAssignment.objects.filter(pk=own.pk).exists()


def test_board_page_shows_the_political_assignments(client, person):
    from .factories import BodyAssignmentFactory, PoliticalBodyFactory

    seat = BodyAssignmentFactory(
        body=PoliticalBodyFactory(name="Sandviken Hus AB"), role="ordforande"
    )
    client.force_login(person("ordforande"))
    page = client.get(reverse("members:board")).content.decode()
    assert "Sandviken Hus AB" in page and seat.member.full_name in page
