"""The year's plan (goals, activities, targets), what was logged by hand, theme groups and their
documents, the election programme and the annual report."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krets.attachments import private_storage
from members.models import BoardFunction, Member

from . import registry


class Goal(models.Model):
    """One of the plan's numbered goals (Mål 1–5) for a year."""

    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("mål"), max_length=300)
    # Made by load_demo: the demo finds and changes only rows marked so, never a chapter's own
    # row that happens to bear the demo's name (issue 14, item 7).
    demo = models.BooleanField(default=False, db_default=False, editable=False)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_goal_number_per_year")
        ]

    def __str__(self) -> str:
        return f"Mål {self.number}: {self.title}"


class Activity(models.Model):
    """Something the board does during the year. One activity may serve several goals."""

    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("aktivitet"), max_length=300)
    # Made by load_demo: the demo finds and changes only rows marked so, never a chapter's own
    # row that happens to bear the demo's name (issue 14, item 7).
    demo = models.BooleanField(default=False, db_default=False, editable=False)
    description = models.TextField(_("beskrivning"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("mål"), related_name="activities")
    responsible = models.CharField(
        _("ansvarig funktion"), max_length=30, choices=BoardFunction.choices, blank=True
    )
    starts_on = models.DateField(_("planerad från"), null=True, blank=True)
    ends_on = models.DateField(_("planerad till"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["year", "order", "id"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A measurable target of a goal: a figure from the records (or from the activity log)."""

    LOGGED = "goals.logged"  # counts the log entries of `activity`

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="targets"
    )
    label = models.CharField(_("mätetal"), max_length=200)
    measure = models.CharField(_("mäts genom"), max_length=60)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text=_("Aktiviteten vars loggade poster räknas, när målet mäts genom loggen."),
    )
    target = models.PositiveIntegerField(_("målvärde"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["goal", "order", "id"]
        verbose_name = _("mätbart mål")
        verbose_name_plural = _("mätbara mål")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(measure="goals.logged") | models.Q(activity__isnull=False),
                name="logged_target_has_activity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.target}"

    @classmethod
    def measure_choices(cls) -> list[tuple[str, str]]:
        return [
            (cls.LOGGED, _("Loggade poster för en aktivitet")),
            *((key, str(counter.label)) for key, counter in registry.registered().items()),
        ]

    @property
    def is_logged(self) -> bool:
        return self.measure == self.LOGGED


class LogEntry(models.Model):
    """Done, with no record of its own in the portal: a debate attended, an op-ed published."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="log_entries",
    )
    happened_on = models.DateField(_("datum"))
    what = models.CharField(_("vad"), max_length=300)
    who = models.CharField(_("vem"), max_length=200)
    link = models.URLField(_("länk"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loggad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("loggad"), auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("aktivitetslogg")
        indexes = [models.Index(fields=["happened_on", "activity"])]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.what}"


class ProfileIssue(models.Model):
    """A profile issue (profilfråga) the party wants to be known for locally."""

    name = models.CharField(_("profilfråga"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("profilfråga")
        verbose_name_plural = _("profilfrågor")

    def __str__(self) -> str:
        return self.name


class ThemeGroup(models.Model):
    """A temagrupp: a working group around a current issue or a profile area."""

    topic = models.CharField(_("tema"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    leader = models.ForeignKey(
        Member,
        verbose_name=_("ledare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_theme_groups",
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("deltagare"), blank=True, related_name="theme_groups"
    )
    profile_issues = models.ManyToManyField(
        ProfileIssue, verbose_name=_("profilfrågor"), blank=True, related_name="theme_groups"
    )

    class Meta:
        ordering = ["topic"]
        verbose_name = _("temagrupp")
        verbose_name_plural = _("temagrupper")

    def __str__(self) -> str:
        return self.topic


class ThemeDocument(models.Model):
    """A theme group's document on its way to publication by the kommunikationsansvarig."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        SUBMITTED = "inlamnad", _("Inlämnad")
        PUBLISHED = "publicerad", _("Publicerad")
        RETURNED = "returnerad", _("Returnerad")

    group = models.ForeignKey(
        ThemeGroup,
        verbose_name=_("temagrupp"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    channel = models.CharField(_("kanal"), max_length=100, blank=True)
    published_on = models.DateField(_("publicerad"), null=True, blank=True)
    link = models.URLField(_("länk"), blank=True)
    return_comment = models.TextField(_("kommentar vid retur"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class DocumentEvent(models.Model):
    """One step of a document's flow; `mailed_at` is claimed by the task that sends its mail."""

    class Kind(models.TextChoices):
        SUBMITTED = "inlamnad", _("Inlämnad")
        PUBLISHED = "publicerad", _("Publicerad")
        RETURNED = "returnerad", _("Returnerad")

    document = models.ForeignKey(
        ThemeDocument, verbose_name=_("dokument"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("händelse"), max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("tid"), auto_now_add=True)
    comment = models.TextField(_("kommentar"), blank=True)
    mailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dokumenthändelse")
        verbose_name_plural = _("dokumenthändelser")

    def __str__(self) -> str:
        return f"{self.document}: {self.get_kind_display()}"


class ProgrammePoint(models.Model):
    """A point of the election programme for the term, and how far the council group has got."""

    class Status(models.TextChoices):
        NOT_STARTED = "ej-paborjad", _("Inte påbörjad")
        DRIVEN = "drivs", _("Drivs")
        ACHIEVED = "uppnadd", _("Uppnådd")

    term = models.CharField(_("mandatperiod"), max_length=20, default="2023–2026")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("punkt"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )

    class Meta:
        ordering = ["term", "number"]
        verbose_name = _("valprogrammets punkt")
        verbose_name_plural = _("valprogrammet")
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_point_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProgrammeLink(models.Model):
    """What drove a programme point: a matter, a decision, a theme-group document, or other."""

    class Kind(models.TextChoices):
        MATTER = "arende", _("Ärende")
        DECISION = "beslut", _("Beslut")
        DOCUMENT = "dokument", _("Temagruppsdokument")
        OTHER = "annat", _("Annat")

    point = models.ForeignKey(
        ProgrammePoint, verbose_name=_("punkt"), on_delete=models.CASCADE, related_name="links"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    url = models.URLField(_("länk"), blank=True)
    document = models.ForeignKey(
        ThemeDocument,
        verbose_name=_("dokument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_links",
    )
    # A record chosen from a list (goals/linkables.py): the registered source's key and the
    # record's id there. Empty for pasted URLs and documents, which keep working as before.
    source = models.CharField(_("källa"), max_length=40, blank=True)
    target_id = models.PositiveIntegerField(_("post"), null=True, blank=True)

    class Meta:
        ordering = ["point", "id"]
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="") & Q(target_id__isnull=True))
                | (~Q(source="") & Q(target_id__isnull=False)),
                name="programme_link_source_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AnnualReport(models.Model):
    """The verksamhetsberättelse for a year: the board's text around the generated figures."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    introduction = models.TextField(_("inledning"), blank=True)
    activities_text = models.TextField(_("om årets verksamhet"), blank=True)
    closing = models.TextField(_("avslutning"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("verksamhetsberättelse")
        verbose_name_plural = _("verksamhetsberättelser")

    def __str__(self) -> str:
        return f"Verksamhetsberättelse {self.year}"


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _document_attachment_path(instance, filename: str) -> str:
    # A random name: nothing of the uploaded name reaches the file system.
    return f"goals/{instance.document_id}/{uuid.uuid4().hex}"


class DocumentAttachment(models.Model):
    """A file attached to a theme-group document; the same name again is a new version, and
    earlier versions are kept."""

    document = models.ForeignKey(
        ThemeDocument,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("dokument"),
    )
    name = models.CharField(_("namn"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(
        upload_to=_document_attachment_path,
        storage=private_storage,
        max_length=200,
        editable=False,
    )
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "version"], name="one_document_attachment_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"
