"""Members' mail on the shared engine (krets.mail): the welcome mail and the dues reminders.

The mails are still built by members/emails.py; the engine sends them, once per key, retries
4xx answers, suppresses hard bounces and resumes after a dead worker.
"""

from krets.mail import kinds
from krets.mail.kinds import Kind, Recipient, Rendered

from .models import Member
from .selectors import active_member_ids

WELCOME = "members.welcome"
DUES_REMINDER = "members.dues_reminder"


def _rendered(message) -> Rendered:
    return Rendered(subject=message.subject, text=message.body, html=message.alternatives[0][0])


def _still_members(member_ids: list[int], params: dict) -> set[int]:
    """Nobody who has left since the send started gets the mail."""
    return active_member_ids(member_ids)


def _render_welcome(prepared, recipient: Recipient) -> Rendered:
    from .emails import welcome_email

    return _rendered(welcome_email(member=Member.objects.get(pk=recipient.member_id)))


def _render_dues_reminder(prepared, recipient: Recipient) -> Rendered:
    # The dues reminder's mail still lives here; it moves to dues with the mail work.
    from dues.models import DuesReminder

    from .emails import dues_reminder_email

    reminder = DuesReminder.objects.select_related("invoice__member").get(
        pk=recipient.context["reminder_id"]
    )
    return _rendered(dues_reminder_email(reminder=reminder))


def register() -> None:
    kinds.register(Kind(name=WELCOME, render=_render_welcome, still_wanted=_still_members))
    kinds.register(
        Kind(name=DUES_REMINDER, render=_render_dues_reminder, still_wanted=_still_members)
    )
