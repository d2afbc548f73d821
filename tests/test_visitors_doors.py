"""Open doors, the rest of issue 16: a contact's one-click unsubscribe and the organiser's erase
and withdraw buttons, sign-ups told when their meeting moves or is cancelled, the declined
applicant told politely, campaigns as a source, the funnel on the goals dashboard, the demo.
Mail goes through the engine to the real SMTP fixture."""

import datetime
import re

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from krets.models import AuditEvent
from meetings import services as meeting_services
from meetings.models import Invitation, Meeting
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory, in_days
from visitors import mail_kinds, services, tokens
from visitors.models import Application, Contact, SignUp, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(django_capture_on_commit_callbacks, tasks_in_process, smtp_server):
    """Run a call and deliver what it queued after commit to the SMTP fixture at once."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def _contact(email="kim@example.org", *, invite=True) -> Contact:
    now = timezone.now()
    return Contact.objects.create(
        name="Kim Kontakt",
        email=email,
        consent_text="Ja",
        consent_at=now,
        invite_consent=invite,
        source=Source.MEETING,
        last_activity_at=now,
    )


def _confirmed_signup(meeting, email, *, contact=None, member=None) -> SignUp:
    return SignUp.objects.create(
        meeting=meeting,
        name="Vera Visit",
        email=email,
        consent_text="Ja",
        confirmed_at=timezone.now(),
        contact=contact,
        member=member,
    )


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[1]


# --- 1. Unsubscribe by link, erase and withdraw ------------------------------------------


def test_a_contacts_invitation_carries_one_click_unsubscribe_that_withdraws_consent(
    client, mailed, smtp_server
):
    contact = _contact()
    meeting = MeetingFactory(title="Öppet möte om skolan")

    mailed(services.contacts_invite, actor=None, meeting=meeting)

    [message] = smtp_server.wait_for(1)
    link = " ".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in _text(message)  # the visible link is the same
    assert link in message.get_body(("html",)).get_content()

    page = client.get(_path(link))  # a link scanner's GET changes nothing
    assert "Inga fler inbjudningar" in page.content.decode() and "Kim" not in page.content.decode()
    assert Contact.objects.get(pk=contact.pk).invite_consent

    # What a mail app sends for one-click: a POST with no CSRF token and this body.
    client.handler.enforce_csrf_checks = True
    answer = client.post(_path(link), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and 'data-testid="unsubscribed"' in answer.content.decode()
    assert not Contact.objects.get(pk=contact.pk).invite_consent
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.VISITOR_ACTION, target__startswith="kontakt:"
    )
    assert event.detail["step"] == "invite_consent_withdrawn" and event.actor_id is None

    smtp_server.clear()
    mailed(services.contacts_invite, actor=None, meeting=MeetingFactory())
    assert smtp_server.messages == []  # no more invitations
    assert client.post(_path(link)).status_code == 200  # again: the same answer


def test_a_forged_or_other_purpose_unsubscribe_token_is_refused(client):
    contact = _contact()
    forged = tokens.make_lasting(tokens.SIGNUP_CONFIRM, contact.pk)  # another purpose's salt
    assert client.post(reverse("visitors:unsubscribe", args=[forged])).status_code == 404
    assert Contact.objects.get(pk=contact.pk).invite_consent


def test_a_reminder_to_a_contact_has_the_header_and_a_members_has_none(mailed, smtp_server):
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(hours=5))
    contact = _contact()
    _confirmed_signup(meeting, contact.email, contact=contact)
    member = MemberFactory(email="medlem@example.org")
    _confirmed_signup(meeting, member.email, member=member)

    mailed(services.signup_reminders_send)

    smtp_server.wait_for(2)
    [to_contact] = smtp_server.messages_to(contact.email)
    [to_member] = smtp_server.messages_to(member.email)
    assert "/oppet/avregistrera/" in to_contact["List-Unsubscribe"]
    assert "/oppet/avregistrera/" in _text(to_contact)
    assert to_member["List-Unsubscribe"] is None and "avregistrera" not in _text(to_member)


def test_the_organiser_erases_a_contact_and_withdraws_consent_after_confirming(client_as):
    kept = _contact("kvar@example.org")
    gone = _contact("borta@example.org")
    signup = _confirmed_signup(MeetingFactory(), gone.email, contact=gone)
    client = client_as(BoardFunction.MEMBERSHIP)

    page = client.get(reverse("visitors:contacts")).content.decode()
    assert "Radera kontakt" in page and "Återkalla samtycke" in page

    erase = reverse("visitors:contact_erase", args=[gone.pk])
    asked = client.post(erase)  # no confirm=1: the question, nothing erased
    assert "Radera kontakten?" in asked.content.decode()
    assert Contact.objects.filter(pk=gone.pk).exists()
    client.post(erase, {"confirm": "1"})
    assert not Contact.objects.filter(pk=gone.pk).exists()
    signup.refresh_from_db()
    assert signup.erased_at and signup.email == "" and signup.name == ""

    withdraw = reverse("visitors:contact_withdraw", args=[kept.pk])
    client.post(withdraw)
    assert Contact.objects.get(pk=kept.pk).invite_consent
    client.post(withdraw, {"confirm": "1"})
    assert not Contact.objects.get(pk=kept.pk).invite_consent

    steps = set(
        AuditEvent.objects.filter(action=AuditEvent.Action.VISITOR_ACTION).values_list(
            "detail__step", flat=True
        )
    )
    assert {"contact_erased", "invite_consent_withdrawn"} <= steps


def test_a_registry_reader_sees_contacts_but_no_erase_button(client_as):
    _contact()
    client = client_as(BoardFunction.TREASURER)
    page = client.get(reverse("visitors:contacts")).content.decode()
    assert "Kim Kontakt" in page and "Radera kontakt" not in page
    contact = Contact.objects.get()
    client.post(reverse("visitors:contact_erase", args=[contact.pk]), {"confirm": "1"})
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- 2. A moved or cancelled meeting: the sign-ups are told -------------------------------


def test_cancelling_mails_signups_a_cancel_ics_and_a_member_both_invited_and_signed_up_once(
    mailed, smtp_server
):
    meeting = MeetingFactory(title="Öppet möte i Storvik")
    both = MemberFactory(email="bada@example.org")
    InvitationFactory(meeting=meeting, member=both, sent_at=timezone.now())
    _confirmed_signup(meeting, both.email, member=both)
    contact = _contact("besok@example.org")
    _confirmed_signup(meeting, contact.email, contact=contact)
    SignUp.objects.create(  # never confirmed: not told
        meeting=meeting, name="X", email="obekraftad@example.org", consent_text="Ja"
    )

    mailed(
        meeting_services.meeting_set_status,
        actor=None,
        meeting=meeting,
        status=Meeting.Status.CANCELLED,
    )

    smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients) == ["bada@example.org", "besok@example.org"]
    [to_member] = smtp_server.messages_to(both.email)
    assert to_member["Subject"].startswith("Inställt")  # the meetings notice, once
    [to_visitor] = smtp_server.messages_to(contact.email)
    assert to_visitor["Subject"].startswith("Inställt: Öppet möte i Storvik")
    assert "tyvärr inställt" in _text(to_visitor)
    [ics] = [part for part in to_visitor.iter_attachments()]
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "CANCEL"
    calendar = vobject.readOne(ics.get_content())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.uid.value == f"{meeting.uid}@kretsportalen"
    assert int(calendar.vevent.sequence.value) == Meeting.objects.get(pk=meeting.pk).sequence
    assert calendar.vevent.attendee.value == "mailto:besok@example.org"
    assert to_visitor["List-Unsubscribe"]  # a contact's mail


def test_moving_a_meeting_mails_signups_the_new_time_once(mailed, smtp_server):
    meeting = MeetingFactory(title="Öppet möte", starts_at=in_days(7, 18))
    contact = _contact("besok@example.org")
    _confirmed_signup(meeting, contact.email, contact=contact)
    declined = MemberFactory(email="nej@example.org")  # said no to the invitation, signed up
    InvitationFactory(
        meeting=meeting, member=declined, sent_at=timezone.now(), reply=Invitation.Reply.NO
    )
    _confirmed_signup(meeting, declined.email, member=declined)
    new_start = in_days(8, 19)

    mailed(
        meeting_services.meeting_update,
        actor=None,
        meeting=meeting,
        changes={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2)},
    )

    smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients) == ["besok@example.org", "nej@example.org"]
    message = smtp_server.messages_to(contact.email)[0]
    assert "Ny tid" in _text(message) and "19:00" in _text(message)
    [ics] = list(message.iter_attachments())
    calendar = vobject.readOne(ics.get_content())
    assert calendar.method.value == "PUBLISH"
    assert calendar.vevent.dtstart.value == new_start

    # The same change again (a retried save) sends nothing twice.
    smtp_server.clear()
    mailed(
        meeting_services.meeting_update,
        actor=None,
        meeting=meeting,
        changes={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2)},
    )
    assert smtp_server.messages == []


# --- 3. The declined applicant -------------------------------------------------------------


def _pending(email="sokande@example.org") -> Application:
    return Application.objects.create(
        first_name="Sam",
        last_name="Sökande",
        email=email,
        consent_text="Ja",
        terms_text="Ja",
        state=Application.State.PENDING,
        verified_at=timezone.now(),
    )


def test_declining_with_a_reason_mails_the_applicant_politely_and_keeps_the_application(
    client_as, mailed, smtp_server
):
    application = _pending()
    client = client_as(BoardFunction.MEMBERSHIP)
    page = client.get(reverse("visitors:applications")).content.decode()
    assert "Avslå ansökan" in page and 'name="reason"' in page
    decide = reverse("visitors:application_decide", args=[application.pk])
    data = {"beslut": "avslag", "reason": "Du bor utanför kretsen; kontakta kretsen i Gävle."}

    asked = client.post(decide, data)
    assert "Avslå ansökan?" in asked.content.decode()
    assert Application.objects.get(pk=application.pk).state == Application.State.PENDING

    response = mailed(client.post, decide, {**data, "confirm": "1"}, follow=True)

    assert "Den sökande får ett mejl" in response.content.decode()
    [message] = smtp_server.wait_for(1)
    assert smtp_server.recipients == ["sokande@example.org"]
    text = _text(message)
    assert text.startswith("Hej Sam!") and "tyvärr inte bevilja" in text
    assert "Du bor utanför kretsen" in text
    application.refresh_from_db()
    assert application.state == Application.State.DECLINED and application.decided_at
    event = AuditEvent.objects.get(target=f"ansokan:{application.pk}")
    assert event.detail == {"step": "application_declined", "reason_given": True}
    assert "Gävle" not in str(event.detail)  # the log keeps no text about the person


def test_a_declined_application_without_reason_is_erased_by_retention(mailed, smtp_server):
    from members.models import User

    actor = User.objects.create(email="ma@example.org")
    application = _pending()
    mailed(services.application_decline, actor=actor, application=application)
    text = _text(smtp_server.wait_for(1)[0])
    assert "Skälet" not in text
    services.contacts_erase_due(now=timezone.now() + datetime.timedelta(days=400))
    assert not Application.objects.filter(pk=application.pk).exists()


def test_approving_needs_no_confirmation_step(client_as, tasks_in_process):
    application = _pending()
    client = client_as(BoardFunction.MEMBERSHIP)
    client.post(
        reverse("visitors:application_decide", args=[application.pk]), {"beslut": "godkann"}
    )
    assert Application.objects.get(pk=application.pk).state == Application.State.APPROVED


def test_the_audit_log_names_the_open_doors_steps(client_as):
    contact = _contact()
    services.contact_invite_consent_withdraw(contact=contact)
    client = client_as(BoardFunction.CHAIR)
    page = client.get(reverse("audit_log")).content.decode()
    assert "besökaren själv återkallade samtycket till inbjudningar för kontakt" in page


def test_mail_kinds_of_the_open_doors_are_registered():
    from krets.mail import kinds

    assert kinds.get(mail_kinds.SIGNUP_NOTICE) and kinds.get(mail_kinds.APPLICATION_DECLINED)


# --- 5. Campaign links and sources -----------------------------------------------------------


def _campaign(name="Vårkampanjen"):
    from campaigns.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.create(
        name=name,
        purpose="Fler medlemmar",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        owner_function=BoardFunction.CAMPAIGN,
    )


def _form_started(page) -> str:
    return re.search(r'name="started" value="([^"]*)"', page.content.decode()).group(1)


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.KRETS_PUBLIC_FORM_MIN_SECONDS = 0


def test_a_campaign_page_shows_its_links_and_what_came_of_them(client, client_as, mailed):
    campaign = _campaign()
    meeting = MeetingFactory(title="Öppet möte om vården")
    page = client_as(BoardFunction.CAMPAIGN).get(reverse("campaigns:detail", args=[campaign.pk]))
    html = page.content.decode()
    join_link = f"/oppet/bli-medlem/?kampanj={campaign.pk}"
    signup_link = f"/oppet/{meeting.pk}/?kampanj={campaign.pk}"
    assert join_link in html and signup_link in html
    assert "0 anmälningar" in html

    # A visitor follows the sign-up link: the sign-up, and the contact, come from the campaign.
    client.logout()
    form = client.get(signup_link)
    assert f'name="kampanj" value="{campaign.pk}"' in form.content.decode()
    assert f"/oppet/bli-medlem/?kampanj={campaign.pk}" in form.content.decode()
    data = {
        "name": "Vera Visit",
        "email": "vera@example.org",
        "consent": "on",
        "started": _form_started(form),
        "kampanj": str(campaign.pk),
    }
    mailed(client.post, reverse("visitors:signup", args=[meeting.pk]), data)
    signup = SignUp.objects.get()
    assert signup.source == Source.CAMPAIGN and signup.campaign == campaign
    services.signup_confirm(signup=signup)
    contact = Contact.objects.get()
    assert contact.source == Source.CAMPAIGN and contact.source_detail == "Vårkampanjen"

    # ... and so does an application through the "Bli medlem" link.
    join = client.get(join_link)
    data = {
        "first_name": "Vera",
        "last_name": "Visit",
        "birth_date": "1990-05-01",
        "address": "Storgatan 1",
        "postcode": "811 30",
        "town": "Sandviken",
        "email": "vera@example.org",
        "consent": "on",
        "terms": "on",
        "started": _form_started(join),
        "kampanj": str(campaign.pk),
    }
    mailed(client.post, reverse("visitors:join"), data)
    application = Application.objects.get()
    assert application.campaign == campaign and application.source == Source.CAMPAIGN
    services.application_verify(application=application)

    html = (
        client_as(BoardFunction.CAMPAIGN)
        .get(reverse("campaigns:detail", args=[campaign.pk]))
        .content.decode()
    )
    assert "1 anmälningar, 1 medlemsansökningar, 0 nya medlemmar" in html
    records = client_as(BoardFunction.CHAIR).get(
        reverse("visitors:funnel", args=["anmalningar"]) + "?kalla=kampanj"
    )
    assert "Kampanj: Vårkampanjen" in records.content.decode()


def test_a_bad_campaign_number_is_ignored_never_an_error(client):
    meeting = MeetingFactory()
    for value in ("99999999999999999999", "abc", "0", "123456"):
        page = client.get(reverse("visitors:meeting", args=[meeting.pk]) + f"?kampanj={value}")
        assert page.status_code == 200
        assert client.get(reverse("visitors:join") + f"?kampanj={value}").status_code == 200


# --- 4. The funnel on the goals dashboard ------------------------------------------------------


def test_the_goals_dashboard_shows_the_funnel_by_source_without_targets(client_as):
    from goals.models import Goal

    year = timezone.localdate().year
    Goal.objects.create(year=year, number=1, title="Fler medlemmar")  # a plan, no visitors.* target
    campaign = _campaign()
    meeting = MeetingFactory()
    now = timezone.now()
    SignUp.objects.create(
        meeting=meeting, name="A", email="a@example.org", consent_text="J", confirmed_at=now
    )
    SignUp.objects.create(
        meeting=meeting,
        name="B",
        email="b@example.org",
        consent_text="J",
        confirmed_at=now,
        source=Source.CAMPAIGN,
        source_detail=campaign.name,
        campaign=campaign,
    )
    SignUp.objects.create(meeting=meeting, name="C", email="c@example.org", consent_text="J")
    for source in (Source.FORM, Source.FORM, Source.CAMPAIGN):
        Application.objects.create(
            first_name="X",
            last_name="Y",
            email="x@example.org",
            consent_text="J",
            terms_text="J",
            source=source,
            state=Application.State.PENDING,
            verified_at=now,
        )

    page = client_as(BoardFunction.CHAIR).get(reverse("goals:index")).content.decode()

    assert 'data-testid="funnel-panel"' in page
    rows = page.split('data-testid="funnel-step"')[1:]
    cells = [
        re.findall(r'<td class="text-end">(?:<a href="[^"]*">)?(?:<strong>)?(\d+)', row)
        for row in rows
    ]
    # total, möte, kampanj, formuläret
    assert cells[0] == ["2", "1", "1", "0"]  # sign-ups (the unconfirmed one does not count)
    assert cells[2] == ["3", "0", "1", "2"]  # applications
    assert "kalla=formular" in rows[2]


def test_a_board_member_without_registry_rights_sees_figures_without_links(client_as):
    from goals.models import Goal

    Goal.objects.create(year=timezone.localdate().year, number=1, title="Mål")
    page = client_as(BoardFunction.CAMPAIGN).get(reverse("goals:index"))
    if page.status_code != 200:
        pytest.skip("this role cannot open the goals dashboard")
    html = page.content.decode()
    assert 'data-testid="funnel-panel"' in html and "/oppet/tratt/" not in html


# --- 6. Demo data ---------------------------------------------------------------------------


def _visitor_rows() -> dict:
    return {
        "contacts": sorted(Contact.objects.values_list("email", "invite_consent", "source")),
        "signups": sorted(
            SignUp.objects.values_list("meeting_id", "email", "confirmed_at", "attended", "source")
        ),
        "applications": sorted(Application.objects.values_list("email", "state", "member_id")),
    }


@pytest.mark.usefixtures("tasks_in_process")
def test_the_demo_has_open_doors_and_loading_twice_adds_nothing(settings):
    from django.core.management import call_command

    from visitors.selectors import public_meetings

    settings.KRETS_REQUIRE_MFA = False
    call_command("load_demo", verbosity=0)
    first = _visitor_rows()
    call_command("load_demo", verbosity=0)
    assert _visitor_rows() == first

    addresses = [row[0] for row in first["contacts"]] + [row[1] for row in first["signups"]]
    addresses += [row[0] for row in first["applications"]]
    assert all(address.endswith("@example.org") for address in addresses)
    assert len(first["contacts"]) >= 3 and any(invite for _e, invite, _s in first["contacts"])
    upcoming = set(public_meetings().values_list("pk", flat=True))
    confirmed = SignUp.objects.filter(meeting__in=upcoming, confirmed_at__isnull=False)
    assert confirmed.count() >= 3
    assert SignUp.objects.filter(meeting__in=upcoming, confirmed_at__isnull=True).exists()
    assert confirmed.filter(source=Source.CAMPAIGN, campaign__isnull=False).exists()
    first_timer = SignUp.objects.get(first_time=True)
    assert first_timer.attended and first_timer.meeting.ends_at < timezone.now()
    states = sorted(state for _e, state, _m in first["applications"])
    assert states == [Application.State.APPROVED, Application.State.PENDING]
    approved = Application.objects.get(state=Application.State.APPROVED)
    assert approved.member.member_number and approved.member.email == approved.email
