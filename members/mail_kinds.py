"""The members app's mail, registered with the engine (krets.mail; autodiscovered): the board
invitation, the welcome mail and the "Mina uppgifter" link. (The dues reminder is dues's:
dues/mail_kinds.py.)

Templates in members/templates/members/email/. Links are made when the mail is rendered, so a
mail that waited for a retry still carries a fresh one.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from krets.mail.kinds import Kind, Recipient, register

from .models import Member, User
from .selectors import active_member_ids
from .tokens import SELF_SERVICE, member_token

INVITATION = "members.invitation"
WELCOME = "members.welcome"
SELF_SERVICE_LINK = "members.self_service"


def self_service_link(member: Member) -> str:
    token = member_token(member.pk, SELF_SERVICE)
    return f"{settings.SITE_URL}{reverse('members:self_service', kwargs={'token': token})}"


def invitation_link(user: User) -> str:
    """A link that lets the person choose a password (allauth's password-reset key)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def still_members(member_ids: list[int], params: dict) -> set[int]:
    """Nobody who has left since the send started gets the mail."""
    return active_member_ids(member_ids)


def _invitation(prepared, recipient: Recipient) -> dict:
    user = User.objects.get(pk=recipient.context["user_id"])
    invited_by = User.objects.filter(pk=recipient.context.get("invited_by_id")).first()
    return {"user": user, "link": invitation_link(user), "invited_by": invited_by}


def _welcome(prepared, recipient: Recipient) -> dict:
    member = Member.objects.get(pk=recipient.member_id)
    return {"member": member, "link": self_service_link(member)}


def _self_service(prepared, recipient: Recipient) -> dict:
    member = Member.objects.get(pk=recipient.member_id)
    return {
        "member": member,
        "link": self_service_link(member),
        "days": settings.KRETS_SELF_SERVICE_DAYS,
    }


register(Kind(name=INVITATION, template="members/email/invitation", context=_invitation))
register(
    Kind(
        name=WELCOME,
        template="members/email/welcome",
        context=_welcome,
        still_wanted=still_members,
    )
)
register(
    Kind(
        # Also to a member who has left: their data is still here until it is anonymised.
        name=SELF_SERVICE_LINK,
        template="members/email/self_service",
        context=_self_service,
    )
)
