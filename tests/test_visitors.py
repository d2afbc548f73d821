"""Open doors: the public meeting pages, sign-ups, "Bli medlem", leaving, contacts' retention,
the funnel, and the public forms' guards. Mail goes through the real engine to Django's outbox."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dues.models import Fee
from meetings import selectors as meeting_selectors
from meetings import services as meeting_services
from meetings.models import Kind, Meeting
from members.models import BoardFunction, Member, MemberTask
from members.tokens import SELF_SERVICE, member_token
from newsletters.models import Newsletter
from newsletters.selectors import newsletter_audience
from tests.conftest import make_person
from tests.factories import MemberFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory, in_days
from visitors import selectors, services
from visitors.models import Application, Contact, SignUp

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="(csrfmiddlewaretoken|started)" value=|"X-CSRFToken": )"[^"]*"')


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.KRETS_PUBLIC_FORM_MIN_SECONDS = 0


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks, tasks_in_process):
    """Run what services queue after commit (the mail engine's chunks) at once."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def _link(message, pattern: str) -> str:
    found = re.search(rf"http://[^\s]+{pattern}[^\s]*/", message.body)
    assert found, message.body
    return found.group(0).split("http://127.0.0.1:8000", 1)[-1]


def _signup_form(client, meeting, email, **extra):
    page = client.get(reverse("visitors:meeting", args=[meeting.pk]))
    started = re.search(r'name="started" value="([^"]*)"', page.content.decode()).group(1)
    data = {"name": "Vera Visit", "email": email, "phone": "", "consent": "on", "started": started}
    return client.post(reverse("visitors:signup", args=[meeting.pk]), {**data, **extra})


# --- 1. The public pages ------------------------------------------------------------------


def test_public_page_lists_upcoming_decided_open_meetings_with_map_and_video(client):
    shown = MeetingFactory(title="Höstmöte", address="Folkets hus, Storvik")
    digital = MeetingFactory(title="Digitalt samtal", video_url="https://meet.example.org/x")
    MeetingFactory(title="Förslag", status=Meeting.Status.PROPOSED)
    MeetingFactory(title="Styrelsen", kind=Kind.BOARD)
    MeetingFactory(title="Förra veckan", starts_at=in_days(-7))

    page = client.get(reverse("visitors:index")).content.decode()

    assert "Höstmöte" in page and "Digitalt samtal" in page
    assert "Förslag" not in page and "Styrelsen" not in page and "Förra veckan" not in page
    assert "https://www.openstreetmap.org/search?query=Folkets+hus%2C+Storvik" in page
    detail = client.get(reverse("visitors:meeting", args=[digital.pk])).content.decode()
    assert "https://meet.example.org/x" in detail
    ics = client.get(reverse("visitors:meeting_ics", args=[shown.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and "Höstmöte" in ics.content.decode()
    hidden = MeetingFactory(kind=Kind.BOARD)
    assert client.get(reverse("visitors:meeting", args=[hidden.pk])).status_code == 404


def test_the_public_page_offers_the_calendar_of_all_open_meetings(client):
    MeetingFactory(title="Höstmöte")
    MeetingFactory(title="Styrelsen", kind=Kind.BOARD)

    page = client.get(reverse("visitors:index")).content.decode()

    # A visitor subscribes once instead of adding meeting after meeting.
    assert f'href="{reverse("meetings:feed")}"' in page
    feed = client.get(reverse("meetings:feed")).content.decode()
    assert "Höstmöte" in feed and "Styrelsen" not in feed


def test_embed_may_be_framed_only_by_the_allowed_origins(client, settings):
    settings.KRETS_EMBED_ALLOWED_ORIGINS = ["https://www.example.se"]
    MeetingFactory(title="Öppet möte")
    response = client.get(reverse("visitors:embed"))
    assert "Öppet möte" in response.content.decode()
    assert "frame-ancestors 'self' https://www.example.se" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert client.get(reverse("visitors:index")).get("X-Frame-Options") == "DENY"


def test_cached_public_page_shows_a_changed_meeting_at_once(client, django_assert_max_num_queries):
    meeting = MeetingFactory(title="Första rubriken")
    assert "Första rubriken" in client.get(reverse("visitors:index")).content.decode()
    with django_assert_max_num_queries(3):  # the version check; the page itself is cached
        client.get(reverse("visitors:index"))
    Meeting.objects.filter(pk=meeting.pk).update(title="Ny rubrik", updated_at=timezone.now())
    assert "Ny rubrik" in client.get(reverse("visitors:index")).content.decode()


# --- 2. Sign-up -----------------------------------------------------------------------------


def test_signup_is_confirmed_by_the_mailed_link_and_shown_to_the_organiser(
    client, client_as, on_commit
):
    meeting = MeetingFactory(title="Öppet kretsmöte")
    response = on_commit(_signup_form, client, meeting, "vera@example.org", invite_consent="on")
    assert "Kolla din e-post" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["vera@example.org"] and "Bekräfta" in message.subject
    confirm = _link(message, "/oppet/anmalan/")
    assert SignUp.objects.get().confirmed_at is None
    client.get(confirm)  # a mail scanner's GET confirms nothing
    assert SignUp.objects.get().confirmed_at is None
    assert "Din anmälan är bekräftad" in client.post(confirm).content.decode()

    contact = Contact.objects.get()
    assert contact.email == "vera@example.org" and contact.invite_consent
    assert "politiska uppfattning" in contact.consent_text
    secretary = client_as(BoardFunction.SECRETARY)
    page = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Vera Visit" in page and "vera@example.org" in page
    signup = SignUp.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=in_days(-1))
    secretary.post(reverse("visitors:attendance", args=[meeting.pk]), {"attended": [signup.pk]})
    signup.refresh_from_db()
    assert signup.attended and signup.first_time


def test_who_came_is_recorded_only_from_the_meetings_start(client, client_as, on_commit):
    meeting = MeetingFactory(title="Öppet kretsmöte")
    on_commit(_signup_form, client, meeting, "vera@example.org")
    client.post(_link(mail.outbox[0], "/oppet/anmalan/"))
    signup = SignUp.objects.get()
    secretary = client_as(BoardFunction.SECRETARY)

    page = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Vera Visit" in page and 'name="attended"' not in page
    assert "registreras när mötet har börjat" in page
    response = secretary.post(
        reverse("visitors:attendance", args=[meeting.pk]), {"attended": [signup.pk]}, follow=True
    )

    signup.refresh_from_db()
    assert not signup.attended and not signup.first_time
    assert "först när mötet har börjat" in response.content.decode()


def test_who_came_cannot_change_once_the_protocol_is_adjusted(client_as):
    meeting = MeetingFactory(
        starts_at=in_days(-1), ends_at=in_days(-1, hour=20), minutes_approved_at=timezone.now()
    )
    signup = SignUp.objects.create(
        meeting=meeting,
        name="Vera Visit",
        email="v@example.org",
        consent_text="ja",
        confirmed_at=timezone.now(),
    )
    secretary = client_as(BoardFunction.SECRETARY)

    page = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Vera Visit" in page and 'name="attended"' not in page
    secretary.post(reverse("visitors:attendance", args=[meeting.pk]), {"attended": [signup.pk]})

    signup.refresh_from_db()
    assert not signup.attended


def test_visitors_who_came_are_in_the_meetings_count_and_protocol_once(client_as):
    meeting = MeetingFactory(starts_at=in_days(-1), ends_at=in_days(-1, hour=20))
    member = MemberFactory(first_name="Maja", last_name="Medlem")
    InvitationFactory(meeting=meeting, member=member, attended=True)
    meeting_services.walk_in_record(actor=None, meeting=meeting, guest_name="Gästen Gustav")
    confirmed = {"confirmed_at": timezone.now(), "consent_text": "ja", "attended": True}
    SignUp.objects.create(meeting=meeting, name="Vera Visit", email="v@example.org", **confirmed)
    # Maja also signed up: one person, counted once.
    SignUp.objects.create(
        meeting=meeting, name="Maja Medlem", email=member.email, member=member, **confirmed
    )
    SignUp.objects.create(
        meeting=meeting, name="Kom inte", email="k@example.org", **{**confirmed, "attended": False}
    )

    assert meeting_selectors.present_names(meeting) == [
        "Maja Medlem",
        "Gästen Gustav",
        "Vera Visit",
    ]
    page = client_as(BoardFunction.SECRETARY).get(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk})
    )
    text = page.content.decode()
    assert "3 närvarande." in text and "Det räknar 1 som anmälde sig" in text


def test_a_member_who_signs_up_is_recognised_by_the_confirmed_address(client, on_commit):
    member = MemberFactory(email="malin@example.org")
    meeting = MeetingFactory()
    on_commit(_signup_form, client, meeting, "Malin@Example.org")
    client.post(_link(mail.outbox[0], "/oppet/anmalan/"))
    signup = SignUp.objects.get()
    assert signup.member == member and signup.contact is None
    assert not Contact.objects.exists()  # a member is never a contact


def test_public_pages_answer_a_members_address_as_any_other(client, on_commit):
    MemberFactory(email="known@example.org")
    meeting = MeetingFactory()
    known = on_commit(_signup_form, client, meeting, "known@example.org")
    new = on_commit(_signup_form, client, meeting, "new@example.org")
    assert known.status_code == new.status_code == 200
    assert CSRF.sub("", known.content.decode()) == CSRF.sub("", new.content.decode())


def test_signup_reminder_is_sent_once_when_the_job_runs_twice(client, on_commit):
    meeting = MeetingFactory(starts_at=in_days(1))
    on_commit(_signup_form, client, meeting, "vera@example.org")
    client.post(_link(mail.outbox[0], "/oppet/anmalan/"))
    assert on_commit(services.signup_reminders_send) == 1
    assert on_commit(services.signup_reminders_send) == 0
    assert [m.subject.startswith("Påminnelse") for m in mail.outbox] == [False, True]


# --- 7. Abuse -------------------------------------------------------------------------------


def test_honeypot_and_too_quick_forms_get_the_same_answer_and_no_mail(client, on_commit, settings):
    meeting = MeetingFactory()
    normal = on_commit(_signup_form, client, meeting, "a@example.org")
    mail.outbox.clear()
    trapped = on_commit(_signup_form, client, meeting, "b@example.org", website="http://spam")
    settings.KRETS_PUBLIC_FORM_MIN_SECONDS = 30
    quick = on_commit(_signup_form, client, meeting, "c@example.org")
    assert mail.outbox == []
    assert CSRF.sub("", trapped.content.decode()) == CSRF.sub("", normal.content.decode())
    assert CSRF.sub("", quick.content.decode()) == CSRF.sub("", normal.content.decode())


def test_one_address_gets_at_most_the_hourly_limit_of_mails(client, on_commit, settings):
    settings.KRETS_PUBLIC_FORM_PER_ADDRESS_HOUR = 2
    meeting = MeetingFactory()
    answers = {
        on_commit(_signup_form, client, meeting, "x@example.org").status_code for _ in range(4)
    }
    assert answers == {200} and len(mail.outbox) == 2


def test_invalid_input_gets_a_swedish_message_not_an_error(client):
    meeting = MeetingFactory()
    response = client.post(reverse("visitors:signup", args=[meeting.pk]), {"email": "nej"})
    assert (
        response.status_code == 400 and "Fyll i en giltig e-postadress" in response.content.decode()
    )


# --- 3. Bli medlem --------------------------------------------------------------------------


def _join(client, email, **extra):
    page = client.get(reverse("visitors:join")).content.decode()
    started = re.search(r'name="started" value="([^"]*)"', page).group(1)
    data = {
        "first_name": "Nils",
        "last_name": "Ny",
        "birth_date": "1990-05-01",
        "address": "Storgatan 1",
        "postcode": "811 30",
        "town": "Sandviken",
        "email": email,
        "phone": "070-123 45 67",
        "consent": "on",
        "terms": "on",
        "started": started,
    }
    return client.post(reverse("visitors:join"), {**data, **extra})


def test_join_verify_approve_makes_a_member_with_welcome_and_invoice(client, client_as, on_commit):
    Fee.objects.create(
        year=timezone.localdate().year,
        name="Ordinarie",
        amount=200,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        is_default=True,
    )
    assert "Kolla din e-post" in on_commit(_join, client, "nils@example.org").content.decode()
    verify = _link(mail.outbox[0], "/oppet/bli-medlem/")
    on_commit(client.post, verify)
    application = Application.objects.get()
    assert application.state == Application.State.PENDING

    officer = client_as(BoardFunction.MEMBERSHIP)
    assert "Nils Ny" in officer.get(reverse("visitors:applications")).content.decode()
    on_commit(
        officer.post,
        reverse("visitors:application_decide", args=[application.pk]),
        {"beslut": "godkann"},
    )
    member = Member.objects.get(email="nils@example.org")
    assert member.member_number and member.recruitment_source.startswith("Bli medlem")
    assert member.tasks.filter(kind=MemberTask.Kind.WELCOME).exists()
    subjects = [m.subject for m in mail.outbox]
    assert "Välkommen till Centerpartiet i Sandviken!" in subjects
    (invoice_mail,) = [m for m in mail.outbox if m.subject.startswith("Medlemsavgift")]
    assert "swish://payment?data=" in invoice_mail.body and "200,00 kr" in invoice_mail.body
    [qr] = invoice_mail.attachments
    assert qr.get_content_type() == "image/png"


def test_auto_approval_setting_makes_the_member_on_verification(client, on_commit, settings):
    settings.KRETS_MEMBERSHIP_AUTO_APPROVE = True
    on_commit(_join, client, "auto@example.org")
    on_commit(client.post, _link(mail.outbox[0], "/oppet/bli-medlem/"))
    assert Member.objects.filter(email="auto@example.org", member_number__isnull=False).exists()


def test_a_members_address_gets_a_friendly_mail_and_the_same_page(client, on_commit):
    MemberFactory(email="already@example.org", first_name="Alma")
    known = on_commit(_join, client, "already@example.org")
    new = on_commit(_join, client, "brand-new@example.org")
    assert CSRF.sub("", known.content.decode()) == CSRF.sub("", new.content.decode())
    friendly = next(m for m in mail.outbox if m.to == ["already@example.org"])
    assert "redan medlem" in friendly.subject and "Hej Alma!" in friendly.body
    assert Application.objects.filter(email="already@example.org").count() == 0


# --- 4. Leaving -----------------------------------------------------------------------------


def test_member_leaves_from_mina_uppgifter_and_leaves_the_newsletter_at_once(client):
    member = MemberFactory(newsletter_consent=True)
    newsletter = Newsletter.objects.create(subject="Nytt", body="Text")
    assert member in newsletter_audience(newsletter)
    token = member_token(member.pk, SELF_SERVICE)
    page = client.get(reverse("members:self_service", args=[token])).content.decode()
    assert "Jag vill gå ur" in page
    response = client.post(reverse("visitors:leave", args=[token]), {"reason": "Flyttar"})
    assert "Ditt utträde är registrerat" in response.content.decode()
    member.refresh_from_db()
    assert member.left_on == timezone.localdate() and member.leave_reason == "Flyttar"
    assert member not in newsletter_audience(newsletter)
    assert member.tasks.get(kind=MemberTask.Kind.GOODBYE).done_on is None


def test_the_goodbye_task_is_on_the_membership_officers_list(client_as):
    member = MemberFactory(first_name="Greta", last_name="Gåtts")
    services.member_resign(member=member, reason="")
    page = client_as(BoardFunction.MEMBERSHIP).get(reverse("members:tasks")).content.decode()
    assert "Greta Gåtts" in page and "säg adjö" in page


# --- 5. Contacts ----------------------------------------------------------------------------


def _contact(email: str, last_activity: datetime.datetime) -> Contact:
    contact = Contact.objects.create(
        name="Kalle Kontakt",
        email=email,
        consent_text="ja",
        consent_at=last_activity,
        source="mote",
        last_activity_at=last_activity,
    )
    SignUp.objects.create(
        meeting=MeetingFactory(),
        name=contact.name,
        email=email,
        consent_text="ja",
        contact=contact,
        confirmed_at=last_activity,
    )
    return contact


def test_contact_is_erased_after_the_retention_period_and_only_once(settings):
    settings.KRETS_CONTACT_RETENTION_MONTHS = 12
    now = timezone.now()
    _contact("old@example.org", now - datetime.timedelta(days=400))
    _contact("recent@example.org", now - datetime.timedelta(days=200))
    assert services.contacts_erase_due(now=now) == 1
    assert services.contacts_erase_due(now=now) == 0
    assert list(Contact.objects.values_list("email", flat=True)) == ["recent@example.org"]
    erased = SignUp.objects.get(erased_at__isnull=False)
    assert erased.name == "" and erased.email == ""
    # The funnel's past month keeps its count.
    day = (now - datetime.timedelta(days=400)).date()
    assert (
        selectors.funnel_signups(day.replace(day=1), day + datetime.timedelta(days=31)).count() == 1
    )


def test_only_contacts_who_agreed_are_invited_to_a_later_meeting_and_only_once(on_commit):
    yes = _contact("yes@example.org", timezone.now())
    Contact.objects.filter(pk=yes.pk).update(invite_consent=True)
    _contact("no@example.org", timezone.now())
    later = MeetingFactory(title="Vårmöte")
    secretary = make_person(BoardFunction.SECRETARY)
    assert on_commit(services.contacts_invite, actor=secretary, meeting=later) == 1
    on_commit(services.contacts_invite, actor=secretary, meeting=later)
    assert [m.to for m in mail.outbox] == [["yes@example.org"]]
    assert "Vårmöte" in mail.outbox[0].subject


def test_contacts_are_never_counted_as_members(client_as):
    _contact("c@example.org", timezone.now())
    assert not Member.objects.filter(email="c@example.org").exists()
    page = client_as(BoardFunction.MEMBERSHIP).get(reverse("visitors:contacts")).content.decode()
    assert "Kalle Kontakt" in page


# --- 6. The funnel --------------------------------------------------------------------------


def test_funnel_counts_by_stockholm_month_at_the_boundary(client_as):
    meeting = MeetingFactory()
    stockholm_new_year = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)  # 00:30 1/2
    before = datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC)  # 23:30 31/1
    for when in (stockholm_new_year, before):
        SignUp.objects.create(
            meeting=meeting,
            name="X",
            email=f"{when.hour}@example.org",
            consent_text="ja",
            confirmed_at=when,
        )
    Application.objects.create(
        first_name="A",
        last_name="B",
        email="a@example.org",
        consent_text="ja",
        terms_text="ja",
        verified_at=stockholm_new_year,
        state=Application.State.APPROVED,
        decided_at=stockholm_new_year,
    )
    jan = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    feb = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert selectors.funnel_signups(*jan).count() == 1
    assert selectors.funnel_signups(*feb).count() == 1
    assert selectors.funnel_applications(*jan).count() == 0
    assert selectors.funnel_new_members(*feb).count() == 1
    months = selectors.funnel_months(2026, today=datetime.date(2026, 3, 15))
    assert [dict(m["steps"])["anmalningar"] for m in months] == [1, 1, 0]
    officer = client_as(BoardFunction.MEMBERSHIP)
    page = officer.get(reverse("visitors:funnel_year") + "?ar=2026").content.decode()
    assert "/oppet/tratt/anmalningar/?fran=2026-02-01&amp;till=2026-02-28" in page
    records = officer.get(
        reverse("visitors:funnel", args=["anmalningar"]) + "?fran=2026-02-01&till=2026-02-28"
    ).content.decode()
    assert "Möte: " + meeting.title in records


def test_an_application_from_a_meetings_page_says_so_in_the_funnel(client, on_commit):
    meeting = MeetingFactory(title="Öppet möte i Storvik")
    page = client.get(reverse("visitors:meeting", args=[meeting.pk])).content.decode()
    assert f"/oppet/bli-medlem/?mote={meeting.pk}" in page
    client.get(reverse("visitors:join") + f"?mote={meeting.pk}")
    on_commit(_join, client, "from-meeting@example.org", mote=str(meeting.pk))
    on_commit(client.post, _link(mail.outbox[0], "/oppet/bli-medlem/"))
    today = timezone.localdate()
    assert selectors.funnel_by_source("ansokningar", today, today) == {
        "Möte: Öppet möte i Storvik": 1
    }
