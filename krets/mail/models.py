"""The mail engine's state, in the database so that it outlives any worker and Redis."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailSend(models.Model):
    """One mailing of one kind to a frozen list of recipients."""

    class State(models.TextChoices):
        RUNNING = "running", _("Skickas")
        PAUSED = "paused", _("Pausad")
        # The mail server failed for everyone (connection, TLS, login, MAIL FROM, DATA, a
        # timeout): nothing is lost and nobody suppressed; the reconciler tries again at retry_at.
        WAITING = "waiting", _("Väntar på e-postservern")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    kind = models.CharField(_("typ"), max_length=60)
    # Starting a send twice with the same key gives the first one back: sends are idempotent.
    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    params = models.JSONField(_("parametrar"), default=dict, blank=True)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices)
    chunk_size = models.PositiveIntegerField(_("mottagare per del"))
    total = models.PositiveIntegerField(_("mottagare"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # Last time a worker moved this send forward; the reconciler's sign of life.
    progress_at = models.DateTimeField(_("senaste framsteg"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # Who started it, for their overview (None: a scheduled job).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The mail server's last failure for everyone, and when the send tries again.
    # Database defaults too: rows written by code that predates these columns stay valid.
    relay_error = models.CharField(
        _("fel hos e-postservern"), max_length=300, blank=True, db_default=""
    )
    relay_failures = models.PositiveSmallIntegerField(
        _("misslyckade försök i rad"), default=0, db_default=0
    )
    retry_at = models.DateTimeField(_("nytt försök"), null=True, blank=True)

    class Meta:
        app_label = "krets"
        ordering = ["-created_at", "-id"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        indexes = [models.Index(fields=["state", "progress_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def kind_label(self) -> str:
        """What the sender calls this mail ("Inbjudan till möte"), from its kind."""
        from .kinds import get

        try:
            return get(self.kind).label or self.kind
        except LookupError:
            return self.kind

    @property
    def waits_for_queue(self) -> bool:
        """Waiting because the broker refused the work (krets.mail.services.QUEUE_REFUSED), not
        the mail server: the same wait and resume, other words on the page."""
        return self.state == self.State.WAITING and self.relay_error.startswith("E-postkön")

    @property
    def is_active(self) -> bool:
        return self.state in {self.State.RUNNING, self.State.PAUSED, self.State.WAITING}


class Delivery(models.Model):
    """One recipient of one send. Written when the send starts: that freezes the audience."""

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        DEFERRED = "deferred", _("Försöker igen")  # 4xx: retried with backoff
        FAILED = "failed", _("Misslyckades")  # 5xx or too many attempts: permanent
        SKIPPED = "skipped", _("Hoppades över")  # unsubscribed, left, or suppressed
        CANCELLED = "cancelled", _("Avbrutet")

    send = models.ForeignKey(MailSend, on_delete=models.CASCADE, related_name="deliveries")
    chunk = models.PositiveIntegerField(_("del"))
    email = models.CharField(_("e-post"), max_length=254)
    # The member the mail is for, if any. No foreign key: the engine knows no app's models.
    member_id = models.BigIntegerField(_("medlem"), null=True, blank=True)
    context = models.JSONField(_("innehåll"), default=dict, blank=True)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    error = models.CharField(_("fel"), max_length=300, blank=True)

    class Meta:
        app_label = "krets"
        verbose_name = _("leverans")
        verbose_name_plural = _("leveranser")
        constraints = [
            models.UniqueConstraint(fields=["send", "email"], name="one_delivery_per_address")
        ]
        indexes = [
            models.Index(fields=["send", "chunk", "state"]),
            models.Index(fields=["send", "state"]),
            models.Index(fields=["state", "claimed_at"]),
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_state_display()})"


class Suppression(models.Model):
    """An address no mail goes to any more: it bounced hard or its owner complained."""

    class Reason(models.TextChoices):
        # The receiving server refused this one address (5xx to RCPT TO) or reported a bounce.
        BOUNCE = "bounce", _("Studsade")
        COMPLAINT = "complaint", _("Anmälde som skräppost")
        MANUAL = "manual", _("Manuellt")

    email = models.CharField(_("e-post"), max_length=254, unique=True)  # lower case
    reason = models.CharField(_("orsak"), max_length=10, choices=Reason.choices)
    detail = models.CharField(_("detalj"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tid"), auto_now_add=True)

    class Meta:
        app_label = "krets"
        ordering = ["-created_at"]
        verbose_name = _("spärrad adress")
        verbose_name_plural = _("spärrade adresser")

    def __str__(self) -> str:
        return self.email
