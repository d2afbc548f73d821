"""Writes about people and their roles."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from krets.audit import Action, audit_record

from .models import BoardAssignment, Member, User


def user_for_member(*, member: Member) -> tuple[User, bool]:
    """The member's login, created without a password if they have none. (user, created)"""
    if member.user_id:
        return member.user, False
    user = User.objects.filter(email__iexact=member.email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            member.email, first_name=member.first_name, last_name=member.last_name
        )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    member.user = user
    member.save(update_fields=["user"])
    return user, created


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


def invitation_send(*, user: User, invited_by: User | None) -> None:
    context = {
        "user": user,
        "link": invitation_link(user),
        "invited_by": invited_by,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("members/email/invitation_subject.txt", context).strip(),
        body=render_to_string("members/email/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("members/email/invitation.html", context), "text/html"
    )
    message.send()


@transaction.atomic
def board_member_invite(
    *, request, first_name: str, last_name: str, email: str, function: str, year: int
) -> BoardAssignment:
    """Give a person a board function for a year, inviting them to log in if they cannot yet."""
    member = Member.objects.filter(email__iexact=email, left_on__isnull=True).first()
    if member is None:
        member = Member.objects.create(first_name=first_name, last_name=last_name, email=email)
    assignment, _ = BoardAssignment.objects.get_or_create(
        member=member, function=function, year=year
    )
    audit_record(request, action=Action.RIGHTS_GRANTED, target=str(assignment))
    user, _ = user_for_member(member=member)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    if not user.has_usable_password():
        audit_record(request, action=Action.ACCOUNT_INVITED, target=user.email)
        transaction.on_commit(lambda: invitation_send(user=user, invited_by=request.user))
    return assignment


@transaction.atomic
def board_assignment_remove(*, request, assignment: BoardAssignment) -> None:
    audit_record(request, action=Action.RIGHTS_REVOKED, target=str(assignment))
    assignment.delete()


def sessions_end(*, user: User) -> int:
    """End every session of a user. Sessions live in the database; each is decoded once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def account_deactivate(*, request, user: User) -> None:
    """Close a login: it can no longer sign in, and its open sessions end at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end(user=user)
    audit_record(request, action=Action.ACCOUNT_DEACTIVATED, target=user.email)
