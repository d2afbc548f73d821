"""The public forms' guard against robots, without a third-party CAPTCHA: a honeypot field a
person never sees, a minimum fill time (a signed timestamp put in the form when it was shown) and
per-client and per-address limits in the cache. A form that trips any of them is answered exactly
like one that went through, so a robot learns nothing, and neither does a person probing
whether an address is known."""

import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from krets.net import client_ip

from .tokens import FORM_STARTED

HOUR = 3600


def client_address(request) -> str:
    """The client's IP, behind trusted proxies too (krets.net)."""
    return client_ip(request) or ""


class GuardedForm(forms.Form):
    """Adds the honeypot and the signed start time; `looks_human()` after is_valid()."""

    # Named like a field a robot fills in; hidden from people by CSS and from screen readers.
    website = forms.CharField(label=_("Lämna tomt"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "krets-hp"}
        )
        if not self.is_bound:
            self.initial["started"] = signing.TimestampSigner(salt=FORM_STARTED).sign(
                str(time.time())
            )

    def looks_human(self) -> bool:
        if self.cleaned_data.get("website"):
            return False
        try:
            started = float(
                signing.TimestampSigner(salt=FORM_STARTED).unsign(
                    self.cleaned_data.get("started", ""), max_age=24 * HOUR
                )
            )
        except (signing.BadSignature, ValueError):
            return False
        return time.time() - started >= settings.KRETS_PUBLIC_FORM_MIN_SECONDS


def _over(key: str, limit: int) -> bool:
    cache.add(key, 0, HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        count = 1
    return count > limit


def within_limits(*, form: str, ip: str, email: str) -> bool:
    """Count this submission; False once the client or the address is over its hourly limit."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    over_ip = _over(f"visitors:rate:{form}:ip:{ip}", settings.KRETS_PUBLIC_FORM_PER_IP_HOUR)
    over_address = _over(
        f"visitors:rate:{form}:to:{address}", settings.KRETS_PUBLIC_FORM_PER_ADDRESS_HOUR
    )
    return not (over_ip or over_address)
