"""Open doors: people who are not (yet) members. Sign-ups for open meetings, contacts who agreed
to hear from us, and applications for membership ("Bli medlem").

A contact is never a member: it is kept in its own table, never counted or mailed as a member,
and erased CONTACT_RETENTION_MONTHS after its last activity (visitors.services.contacts_erase_due).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from meetings.models import Meeting
from members.models import District, Member, User

# What a person agrees to, kept word for word with the date (GDPR art. 7(1): we must be able
# to show what was consented to). Political views are a special category (art. 9(2)(a)).
SIGNUP_CONSENT = (
    "Jag samtycker till att Centerpartiet i Sandviken behandlar mina uppgifter (namn, e-post, "
    "telefon och att jag anmält mig till mötet), som kan visa min politiska uppfattning, för att "
    "hantera min anmälan. Jag kan ta tillbaka mitt samtycke när som helst."
)
INVITE_CONSENT = "Jag vill bli inbjuden till kretsens kommande öppna möten."
MEMBERSHIP_CONSENT = (
    "Jag samtycker till att Centerpartiet i Sandviken behandlar mina uppgifter, som visar att jag "
    "är medlem i ett politiskt parti, för att administrera mitt medlemskap."
)
MEMBERSHIP_TERMS = (
    "Jag delar Centerpartiets värderingar och godkänner partiets stadgar, och jag är inte medlem "
    "i något annat politiskt parti."
)


class Source(models.TextChoices):
    MEETING = "mote", _("Möte")
    CAMPAIGN = "kampanj", _("Kampanj")
    FORM = "formular", _("Formuläret")


class Contact(models.Model):
    """A person who signed up or showed interest and is not a member."""

    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), unique=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    consent_text = models.TextField(_("samtycke"))
    consent_at = models.DateTimeField(_("samtycke lämnat"))
    invite_consent = models.BooleanField(_("vill bli inbjuden"), default=False)
    source = models.CharField(_("kom via"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("vilket"), max_length=200, blank=True)
    last_activity_at = models.DateTimeField(_("senast aktiv"), db_index=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakter")

    def __str__(self) -> str:
        return self.name


class SignUp(models.Model):
    """An anmälan to an open meeting, confirmed by a link mailed to the address.

    Until it is confirmed it names nobody we know; once confirmed it belongs to the member
    with that address or to a contact. Erasing the contact blanks the row but keeps it, so the
    funnel's past months do not change.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    consent_text = models.TextField(_("samtycke"))
    invite_consent = models.BooleanField(_("vill bli inbjuden"), default=False)
    # Where the sign-up came from: the meeting's own page, or a campaign's link (?kampanj=).
    source = models.CharField(
        _("kom via"), max_length=10, choices=Source.choices, default=Source.MEETING
    )
    source_detail = models.CharField(_("vilket"), max_length=200, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="signups"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="signups"
    )
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("närvarade"), null=True, blank=True)
    # The first open meeting this person (not a member) came to: the funnel's "first time".
    first_time = models.BooleanField(default=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")

    def __str__(self) -> str:
        return f"{self.name} ({self.meeting_id})"


class Application(models.Model):
    """A "Bli medlem" application: verified by a mailed link, then decided."""

    class State(models.TextChoices):
        UNVERIFIED = "overifierad", _("Ej bekräftad")
        PENDING = "vantar", _("Väntar på beslut")
        APPROVED = "godkand", _("Godkänd")
        DECLINED = "avslagen", _("Avslagen")

    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.UNVERIFIED
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    birth_date = models.DateField(_("födelsedatum"), null=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=10, blank=True)
    town = models.CharField(_("ort"), max_length=100, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("kommundel"), null=True, blank=True, on_delete=models.SET_NULL
    )
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    fee_name = models.CharField(_("avgift"), max_length=100, blank=True)
    consent_text = models.TextField(_("samtycke"))
    terms_text = models.TextField(_("villkor"))
    source = models.CharField(
        _("kom via"), max_length=10, choices=Source.choices, default=Source.FORM
    )
    source_detail = models.CharField(_("vilket"), max_length=200, blank=True)
    # The campaign whose link (?kampanj=) brought the applicant; the name stays in
    # source_detail if the campaign is deleted.
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("inskickad"), auto_now_add=True)
    verified_at = models.DateTimeField(_("bekräftad"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Told to the applicant in the mail when given; erased with the application (retention).
    decline_reason = models.TextField(_("skäl till avslag"), blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("medlemsansökan")
        verbose_name_plural = _("medlemsansökningar")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
