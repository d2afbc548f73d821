"""Audit of sign-ins. Changes of rights are logged by the services that make them
(members.services) and by their admin pages (members.admin)."""

from allauth.account.signals import user_logged_in, user_logged_out
from django.contrib.auth.signals import user_logged_in as session_started
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .audit import Action, audit_record
from .middleware import stamp_session


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(request, action=Action.LOGIN, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(request, action=Action.LOGOUT, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(request, action=Action.LOGIN_FAILED, actor_label=attempted[:254])


@receiver(session_started)
def _stamp_new_session(sender, request, user, **kwargs):
    # A new session is saved anyway; the stamp spares the next request a renewal write.
    if request is not None and hasattr(request, "session"):
        stamp_session(request.session)
