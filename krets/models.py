from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """An append-only record of who did what with member data and rights.

    Rows are never updated or deleted: `save()` and `delete()` refuse, and a database trigger
    refuses UPDATE (and DELETE on PostgreSQL; see migration 0003).
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Inloggning")
        LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
        LOGOUT = "logout", _("Utloggning")
        RIGHTS_GRANTED = "rights_granted", _("Behörighet tilldelad")
        RIGHTS_REVOKED = "rights_revoked", _("Behörighet borttagen")
        ACCOUNT_INVITED = "account_invited", _("Konto inbjudet")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Konto avslutat")
        MEMBER_VIEWED = "member_viewed", _("Medlemsuppgifter visade")
        MEMBER_CHANGED = "member_changed", _("Medlemsuppgifter ändrade")
        MEMBERS_EXPORTED = "members_exported", _("Medlemsuppgifter exporterade")
        MEMBERS_IMPORTED = "members_imported", _("Medlemmar importerade")
        MEMBER_ANONYMISED = "member_anonymised", _("Medlem anonymiserad")
        # Campaigns and external communication (campaigns/services.py): code and id in detail.
        COMMUNICATION_CHANGED = "communication_changed", _("Kampanjer och kommunikation ändrade")
        NEWSLETTER_CHANGED = "newsletter_changed", _("Nyhetsbrev ändrat")
        NEWSLETTER_SENT = "newsletter_sent", _("Nyhetsbrev skickat")
        SUPPRESSION_LIFTED = "suppression_lifted", _("Spärrad e-postadress hävd")
        AUDIT_EXPORTED = "audit_exported", _("Loggen exporterad")
        PLAN_COPIED = "plan_copied", _("Verksamhetsplan kopierad")
        # Dues (dues/services.py): fees, invoices, payments, reversals, write-offs, bank files;
        # the code and the ids in detail, never a person's text.
        DUES_CHANGED = "dues_changed", _("Avgifter och betalningar ändrade")
        # Open doors (visitors/services.py): sign-ups, contacts, applications; the step and
        # the ids in detail (`anmalan:12`, `kontakt:3`, `ansokan:5`), never a visitor's text.
        VISITOR_ACTION = "visitor_action", _("Öppna dörrar: anmälan, kontakt eller ansökan")
        # A form that looks a member up by address could not (the training participants):
        # the address is not logged, the actor's count that day is (issue 13 item 5).
        MEMBER_LOOKUP_FAILED = "member_lookup_failed", _("Medlem kunde inte läggas till")

    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    # No database constraint: the log outlives what it points at.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vem"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("vem (text)"), max_length=254, blank=True)
    action = models.CharField(_("händelse"), max_length=40, choices=Action.choices)
    target = models.CharField(_("vad"), max_length=200, blank=True)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("logg")
        # A member's page lists the changes to them (target "medlem:<id>"): without it every
        # view read the whole log, which grows by a row per page read (the read log).
        indexes = [models.Index(fields=["target", "-at"], name="auditevent_target_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("AuditEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditEvent is append-only")


# The mail engine's models live in their own package (krets/mail) but belong to this app.
from .mail.models import Delivery, MailSend, Suppression  # noqa: E402, F401


class Heartbeat(models.Model):
    """When a periodic job last ran: beat queued it and a worker ran it (see krets.health)."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("livstecken")
        verbose_name_plural = _("livstecken")

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
