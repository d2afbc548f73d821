"""Open doors at /oppet/: the public pages and forms answer everyone the same (anonymous
included); sign-ups' attendance is the meeting writers'; applications the medlemsansvarig's
(and the ordförande's); contacts and the funnel whoever may read the registry."""

from members.tokens import SELF_SERVICE, member_token
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory
from visitors import tokens
from visitors.models import Application, Contact, SignUp

from . import EVERYONE, Access, F, only

MEETING_WRITERS = only(F.CHAIR, F.SECRETARY)
MEMBERSHIP = only(F.CHAIR, F.MEMBERSHIP)
REGISTRY_READERS = only(F.CHAIR, F.VICE_CHAIR, F.TREASURER, F.MEMBERSHIP)


def _meeting() -> dict:
    return {"pk": MeetingFactory().pk}


def _signup_token() -> dict:
    signup = SignUp.objects.create(
        meeting=MeetingFactory(), name="Ada", email="ada@example.org", consent_text="ja"
    )
    return {"token": tokens.make(tokens.SIGNUP_CONFIRM, signup.pk)}


def _application() -> Application:
    return Application.objects.create(
        first_name="Ada",
        last_name="Ek",
        email="ada@example.org",
        consent_text="ja",
        terms_text="ja",
    )


def _application_token() -> dict:
    return {"token": tokens.make(tokens.APPLICATION_VERIFY, _application().pk)}


def _contact() -> dict:
    from django.utils import timezone

    contact = Contact.objects.create(
        name="Ada",
        email=f"ada{Contact.objects.count()}@example.org",
        consent_text="ja",
        consent_at=timezone.now(),
        invite_consent=True,
        source="mote",
        last_activity_at=timezone.now(),
    )
    return {"pk": contact.pk}


def _unsubscribe_token() -> dict:
    return {"token": tokens.make_lasting(tokens.CONTACT_UNSUBSCRIBE, _contact()["pk"])}


def _pending() -> dict:
    application = _application()
    Application.objects.filter(pk=application.pk).update(state=Application.State.PENDING)
    return {"pk": application.pk}


RULES = {
    "visitors:index": Access(EVERYONE),
    "visitors:embed": Access(EVERYONE),
    "visitors:meeting": Access(EVERYONE, kwargs=_meeting),
    "visitors:meeting_ics": Access(EVERYONE, kwargs=_meeting),
    # An empty form: the same 400 with the form's errors for everyone.
    "visitors:signup": Access(EVERYONE, method="post", ok=400, kwargs=_meeting),
    "visitors:signup_confirm": Access(EVERYONE, kwargs=_signup_token),
    "visitors:join": Access(EVERYONE),
    "visitors:join_verify": Access(EVERYONE, kwargs=_application_token),
    "visitors:leave": Access(
        EVERYONE,
        method="post",
        kwargs=lambda: {"token": member_token(MemberFactory().pk, SELF_SERVICE)},
    ),
    "visitors:attendance": Access(MEETING_WRITERS, method="post", ok=302, kwargs=_meeting),
    "visitors:invite_contacts": Access(MEETING_WRITERS, method="post", ok=302, kwargs=_meeting),
    "visitors:applications": Access(MEMBERSHIP),
    "visitors:application_decide": Access(MEMBERSHIP, method="post", ok=302, kwargs=_pending),
    "visitors:contacts": Access(REGISTRY_READERS),
    # Behind the confirmation step (krets/confirm.py); the sweep confirms.
    "visitors:contact_erase": Access(MEMBERSHIP, method="post", ok=302, kwargs=_contact),
    "visitors:contact_withdraw": Access(MEMBERSHIP, method="post", ok=302, kwargs=_contact),
    # A contact's one-click "no more invitations": GET shows the button, for anyone holding it.
    "visitors:unsubscribe": Access(EVERYONE, kwargs=_unsubscribe_token),
    "visitors:funnel_year": Access(REGISTRY_READERS),
    "visitors:funnel": Access(REGISTRY_READERS, kwargs=lambda: {"step": "anmalningar"}),
}
