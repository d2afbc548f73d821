"""People and their roles: the ground floor that every other app builds on."""

import datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The board functions are defined with the rights table (the core); re-exported here, where
# BoardAssignment stores them.
from krets.rights import BoardFunction  # noqa: F401


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
    # Invitations to meetings open to every member (kretsmöten, studiecirklar...): a choice of
    # its own, on by default as before. Invitations to a meeting the member is invited to in
    # person (the board, the council group) do not ask it.
    open_meeting_invitations = models.BooleanField(
        _("vill ha inbjudningar till öppna möten"), default=True
    )
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
    """Work for the medlemsansvarig: welcome a new member, contact one who has not paid, or
    say goodbye to one who has left."""

    class Kind(models.TextChoices):
        WELCOME = "valkomna", _("Välkomna")
        DUES_CONTACT = "kontakta", _("Kontakta om avgiften")
        # A member who left through "Mina uppgifter": thank them and say goodbye.
        GOODBYE = "avsked", _("Säga adjö")

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
