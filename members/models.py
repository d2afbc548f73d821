"""People and their roles: the ground floor that every other app builds on."""

import datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A login. Members have no password; board members and elected representatives do."""

    username = None
    email = models.EmailField(_("e-post"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class District(models.Model):
    """A kommundel: part of the municipality where meetings are held."""

    name = models.CharField(_("namn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommundel")
        verbose_name_plural = _("kommundelar")

    def __str__(self) -> str:
        return self.name


# What the medlemsansvarig keeps about a member (the registry form, the import, the extract).
REGISTRY_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "address",
    "postcode",
    "town",
    "district",
    "email",
    "phone",
    "joined_on",
    "member_number",
    "recruited_by",
    "recruitment_source",
    "newsletter_consent",
    "notes",
)


class Member(models.Model):
    """A party member registered with the chapter.

    Only what the work needs is stored: a birth date for age statistics, never a personal
    identity number (personnummer).
    """

    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=10, blank=True)
    town = models.CharField(_("ort"), max_length=100, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    joined_on = models.DateField(_("medlem sedan"), default=datetime.date.today)
    left_on = models.DateField(_("utträdde"), null=True, blank=True)
    newsletter_consent = models.BooleanField(_("vill ha nyhetsbrev"), default=False)
    newsletter_consent_on = models.DateField(_("samtycke till nyhetsbrev"), null=True, blank=True)
    member_number = models.PositiveIntegerField(_("medlemsnummer"), unique=True, null=True)
    leave_reason = models.CharField(_("anledning till utträde"), max_length=200, blank=True)
    recruited_by = models.ForeignKey(
        "self",
        verbose_name=_("värvad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruits",
    )
    recruitment_source = models.CharField(
        _("värvad genom"),
        max_length=200,
        blank=True,
        help_text=_("Kampanj, evenemang eller annat sätt personen blev medlem på."),
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    anonymised_on = models.DateField(_("anonymiserad"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True, null=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True, null=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("inloggning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            models.Index(fields=["joined_on"]),
            models.Index(fields=["left_on"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_active_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class BoardFunction(models.TextChoices):
    """The fixed jobs on the chapter board (fasta uppdrag), as in the operating plan."""

    CHAIR = "ordforande", _("Ordförande")
    VICE_CHAIR = "vice-ordforande", _("Vice ordförande")
    TREASURER = "kassor", _("Kassör")
    SECRETARY = "sekreterare", _("Sekreterare")
    MEMBERSHIP = "medlemsansvarig", _("Medlemsansvarig")
    TRAINING = "utbildningsansvarig", _("Utbildningsansvarig")
    ELECTION = "valansvarig", _("Valansvarig")
    CAMPAIGN = "kampanjansvarig", _("Kampanjansvarig")
    COMMUNICATION = "kommunikationsansvarig", _("Kommunikationsansvarig")
    BOARD_MEMBER = "ledamot", _("Ledamot")


class BoardAssignmentQuerySet(models.QuerySet):
    def for_year(self, year: int) -> "BoardAssignmentQuerySet":
        return self.filter(year=year)


class BoardAssignment(models.Model):
    """A member holds a board function for one year; one person may hold several."""

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.CASCADE, related_name="board_assignments"
    )
    function = models.CharField(_("funktion"), max_length=30, choices=BoardFunction.choices)
    year = models.PositiveSmallIntegerField(_("år"))

    objects = BoardAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "function"]
        verbose_name = _("styrelseuppdrag")
        verbose_name_plural = _("styrelseuppdrag")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "function", "year"], name="unique_board_function_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_function_display()} {self.year}"


class PoliticalBody(models.Model):
    """A municipal committee (nämnd), company (bolag) or board (styrelse) with party seats."""

    class Kind(models.TextChoices):
        COMMITTEE = "namnd", _("Nämnd")
        COMPANY = "bolag", _("Bolag")
        BOARD = "styrelse", _("Styrelse")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("politiskt organ")
        verbose_name_plural = _("politiska organ")

    def __str__(self) -> str:
        return self.name


class CurrentQuerySet(models.QuerySet):
    """Rows with a period (starts_on, ends_on) that covers a given day."""

    def current(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class BodyAssignment(models.Model):
    """A member's seat in a political body (uppdrag) for a period."""

    class Role(models.TextChoices):
        CHAIR = "ordforande", _("Ordförande")
        VICE_CHAIR = "vice-ordforande", _("Vice ordförande")
        MEMBER = "ledamot", _("Ledamot")
        SUBSTITUTE = "ersattare", _("Ersättare")

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.CASCADE, related_name="body_assignments"
    )
    body = models.ForeignKey(
        PoliticalBody,
        verbose_name=_("organ"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["body__name", "role"]
        verbose_name = _("politiskt uppdrag")
        verbose_name_plural = _("politiska uppdrag")

    def __str__(self) -> str:
        return f"{self.member} – {self.get_role_display()}, {self.body}"

    @property
    def is_ordinary(self) -> bool:
        """Ordinary members speak for the party in their body; substitutes do not."""
        return self.role != self.Role.SUBSTITUTE


class PartyPosition(models.Model):
    """The party's positions outside the board: kommunalråd and the council group's leader."""

    class Kind(models.TextChoices):
        COMMISSIONER = "kommunalrad", _("Kommunalråd")
        GROUP_LEADER = "gruppledare", _("Gruppledare")

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.CASCADE, related_name="party_positions"
    )
    kind = models.CharField(_("post"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-starts_on"]
        verbose_name = _("partipost")
        verbose_name_plural = _("partiposter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"


class MemberTask(models.Model):
    """Work for the medlemsansvarig: welcome a new member, or contact one who has not paid."""

    class Kind(models.TextChoices):
        WELCOME = "valkomna", _("Välkomna")
        DUES_CONTACT = "kontakta", _("Kontakta om avgiften")

    class Method(models.TextChoices):
        PHONE = "telefon", _("Telefon")
        EMAIL = "e-post", _("E-post")
        VISIT = "besok", _("Besök")
        MEETING = "mote", _("På ett möte")
        LETTER = "brev", _("Brev")
        NOT_REACHED = "ej-nadd", _("Gick inte att nå")

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.CASCADE, related_name="tasks"
    )
    kind = models.CharField(_("uppgift"), max_length=20, choices=Kind.choices)
    # The dues year a contact task is about; 0 for a welcome (one per member).
    year = models.PositiveSmallIntegerField(_("år"), default=0)
    due_on = models.DateField(_("senast"))
    done_on = models.DateField(_("klar"), null=True, blank=True)
    done_by = models.ForeignKey(
        User,
        verbose_name=_("gjord av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(_("kontakt via"), max_length=20, choices=Method.choices, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "year"], name="one_task_per_member_kind_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Fee(models.Model):
    """One line of a year's fee schedule, e.g. ordinary, youth, family."""

    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("avgift"), max_length=100)
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    due_on = models.DateField(_("förfallodag"))
    is_default = models.BooleanField(_("standard"), default=False)

    class Meta:
        ordering = ["-year", "-is_default", "name"]
        verbose_name = _("avgift")
        verbose_name_plural = _("avgifter")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="unique_fee_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class PaymentMethod(models.TextChoices):
    SWISH = "swish", _("Swish")
    BANKGIRO = "bankgiro", _("Bankgiro")
    CASH = "kontant", _("Kontant")
    OTHER = "annat", _("Annat")


class DuesStatus(models.TextChoices):
    PAID = "betald", _("Betald")
    PART_PAID = "delbetald", _("Delbetald")
    UNPAID = "obetald", _("Obetald")
    OVERDUE = "forfallen", _("Förfallen")


def dues_status(*, amount, paid, due_on: datetime.date, today: datetime.date) -> str:
    """Paid in full, else overdue once the due date has passed, else part paid or unpaid."""
    if paid >= amount:
        return DuesStatus.PAID
    if due_on < today:
        return DuesStatus.OVERDUE
    return DuesStatus.PART_PAID if paid > 0 else DuesStatus.UNPAID


class DuesInvoice(models.Model):
    """What one member owes for one year, with its OCR reference."""

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.PROTECT, related_name="invoices"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    fee = models.ForeignKey(
        Fee, verbose_name=_("avgift"), on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    ocr = models.CharField(_("OCR-nummer"), max_length=25, unique=True)
    due_on = models.DateField(_("förfallodag"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "member__last_name", "member__first_name", "id"]
        verbose_name = _("avgiftsavi")
        verbose_name_plural = _("avgiftsavier")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_invoice_per_member_year")
        ]
        indexes = [models.Index(fields=["year", "due_on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.year} ({self.ocr})"

    def status(self, *, paid, today: datetime.date) -> str:
        return dues_status(amount=self.amount, paid=paid, due_on=self.due_on, today=today)


class Payment(models.Model):
    """Money received against an invoice; part payments add up."""

    invoice = models.ForeignKey(
        DuesInvoice, verbose_name=_("avi"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("betald"))
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    method = models.CharField(_("sätt"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("referens"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        User,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    # A payment is never deleted: it is reversed by a counter-entry of the opposite amount
    # (a bank's return, or a payment registered by mistake), so every sum stays a plain sum.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("orsak"), max_length=200, blank=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("betalning")
        verbose_name_plural = _("betalningar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, amount__gt=0)
                | models.Q(reverses__isnull=False, amount__lt=0),
                name="payment_positive_or_reversal_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"


class BankFile(models.Model):
    """An uploaded camt.054/camt.053 file."""

    name = models.CharField(_("fil"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("bankfil")
        verbose_name_plural = _("bankfiler")

    def __str__(self) -> str:
        return self.name


class BankEntry(models.Model):
    """One incoming credit from a bank file; booked when its reference matches an OCR."""

    file = models.ForeignKey(BankFile, on_delete=models.CASCADE, related_name="entries")
    # The bank's own reference for the transaction: a file imported twice books nothing twice.
    bank_ref = models.CharField(_("bankens referens"), max_length=200, unique=True)
    booked_on = models.DateField(_("bokföringsdag"))
    amount = models.DecimalField(_("belopp"), max_digits=10, decimal_places=2)
    reference = models.CharField(_("referens"), max_length=140, blank=True)
    payer = models.CharField(_("betalare"), max_length=140, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="bank_entry"
    )
    dismissed = models.BooleanField(_("avfärdad"), default=False)

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("bankpost")
        verbose_name_plural = _("bankposter")

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.reference}"


class DuesReminder(models.Model):
    """One step of chasing unpaid dues. The unique constraint makes each step happen once."""

    class Step(models.IntegerChoices):
        FIRST = 1, _("Påminnelse 1")
        SECOND = 2, _("Påminnelse 2")
        CONTACT = 3, _("Personlig kontakt")

    invoice = models.ForeignKey(
        DuesInvoice, verbose_name=_("avi"), on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.PositiveSmallIntegerField(_("steg"), choices=Step.choices)
    created_on = models.DateField(_("datum"))
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        ordering = ["invoice", "step"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"], name="one_reminder_step_per_invoice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.invoice}"
