"""Bounces and complaints reported by an email service (django-anymail) feed the suppression
list. Connected from KretsConfig.ready when anymail is installed."""

from .models import Suppression
from .services import suppression_add

REASONS = {"bounced": Suppression.Reason.BOUNCE, "complained": Suppression.Reason.COMPLAINT}


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    reason = REASONS.get(event.event_type)
    if reason is None and event.event_type == "rejected" and event.reject_reason == "bounced":
        reason = Suppression.Reason.BOUNCE
    if reason is None or not event.recipient:
        return
    detail = f"{esp_name}: {event.description or event.mta_response or event.event_type}"
    suppression_add(email=event.recipient, reason=reason, detail=detail)


def connect_anymail() -> None:
    try:
        from anymail.signals import tracking
    except ImportError:  # the optional extra is not installed: SMTP bounces still count
        return
    tracking.connect(on_tracking, dispatch_uid="krets.mail.suppress_bounces")
