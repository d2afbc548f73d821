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
from django.utils import timezone

from krets.mail.kinds import Kind, Recipient, register

from .models import Member, User
from .selectors import active_member_ids
from .tokens import (
    DATA_DOWNLOAD,
    DATA_DOWNLOAD_DAYS,
    EMAIL_CHANGE,
    EMAIL_CHANGE_DAYS,
    LOGIN_EMAIL_DAYS,
    SELF_SERVICE,
    login_email_token,
    member_token,
)

INVITATION = "members.invitation"
# A politician's account: not the board's text, since they see no registry and hold no function.
POLITICIAN_INVITATION = "members.politician_invitation"
WELCOME = "members.welcome"
SELF_SERVICE_LINK = "members.self_service"
EMAIL_CONFIRM = "members.email_confirm"
EMAIL_CHANGE_NOTICE = "members.email_change_notice"
DATA_LINK = "members.data_link"
LOGIN_EMAIL_CONFIRM = "members.login_email_confirm"


def self_service_link(member: Member) -> str:
    token = member_token(member.pk, SELF_SERVICE)
    return f"{settings.SITE_URL}{reverse('members:self_service', kwargs={'token': token})}"


def email_confirm_link(member_id: int, email: str) -> str:
    token = member_token(member_id, EMAIL_CHANGE, extra=email.lower())
    return f"{settings.SITE_URL}{reverse('members:email_confirm', kwargs={'token': token})}"


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


def _politician_invitation(prepared, recipient: Recipient) -> dict:
    """The board's invitation, plus what the account is for: the assignments it rests on."""
    context = _invitation(prepared, recipient)
    member = Member.objects.filter(user=context["user"]).first()
    assignments = []
    if member is not None:
        day = timezone.localdate()
        assignments = [
            f"{a.get_role_display()}, {a.body}"
            for a in member.body_assignments.current(day).select_related("body")
        ]
        assignments += [p.get_kind_display() for p in member.party_positions.current(day)]
    return {**context, "assignments": assignments}


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
        name=POLITICIAN_INVITATION,
        template="members/email/politician_invitation",
        context=_politician_invitation,
    )
)
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


def _email_confirm(prepared, recipient: Recipient) -> dict:
    # The link is for the address the mail goes to: the new one.
    return {
        "link": email_confirm_link(recipient.member_id, recipient.email),
        "days": EMAIL_CHANGE_DAYS,
    }


# Neither names the person: the new address is not yet known to be theirs.
register(Kind(name=EMAIL_CONFIRM, template="members/email/email_confirm", context=_email_confirm))
register(
    Kind(
        name=EMAIL_CHANGE_NOTICE,
        template="members/email/email_change_notice",
        context=lambda prepared, recipient: {},
    )
)


def _data_link(prepared, recipient: Recipient) -> dict:
    token = member_token(recipient.member_id, DATA_DOWNLOAD)
    path = reverse("members:self_data", kwargs={"token": token})
    return {"link": f"{settings.SITE_URL}{path}", "days": DATA_DOWNLOAD_DAYS}


register(Kind(name=DATA_LINK, template="members/email/data_link", context=_data_link))


def _login_email_confirm(prepared, recipient: Recipient) -> dict:
    token = login_email_token(recipient.context["user_id"], recipient.email)
    path = reverse("members:login_email_confirm", kwargs={"token": token})
    return {"link": f"{settings.SITE_URL}{path}", "days": LOGIN_EMAIL_DAYS}


register(
    Kind(
        name=LOGIN_EMAIL_CONFIRM,
        template="members/email/email_confirm",
        context=_login_email_confirm,
    )
)
