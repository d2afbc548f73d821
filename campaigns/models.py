"""Campaigns and external communication: campaigns, paid marketing, content, panels, contests."""

import datetime
import random

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, ProfileIssue
from members.models import BoardFunction, District, Member, PoliticalBody


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


class Campaign(models.Model):
    class Mode(models.TextChoices):
        PHYSICAL = "fysisk", _("Fysisk")
        DIGITAL = "digital", _("Digital")
        BOTH = "bada", _("Fysisk och digital")

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        RUNNING = "pagar", _("Pågår")
        DONE = "avslutad", _("Avslutad")
        CANCELLED = "installd", _("Inställd")

    OWNER_FUNCTIONS = [
        (BoardFunction.CAMPAIGN.value, BoardFunction.CAMPAIGN.label),
        (BoardFunction.ELECTION.value, BoardFunction.ELECTION.label),
    ]

    name = models.CharField(_("namn"), max_length=200)
    # Made by load_demo: the demo finds and changes only rows marked so, never a chapter's own
    # row that happens to bear the demo's name (issue 14, item 7).
    demo = models.BooleanField(default=False, db_default=False, editable=False)
    purpose = models.TextField(_("syfte"))
    goals = models.ManyToManyField(
        Goal, verbose_name=_("mål"), blank=True, related_name="campaigns"
    )
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    mode = models.CharField(_("form"), max_length=10, choices=Mode.choices, default=Mode.BOTH)
    owner_function = models.CharField(
        _("ansvarig funktion"), max_length=30, choices=OWNER_FUNCTIONS
    )
    budget = models.DecimalField(_("budget (kr)"), max_digits=10, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("kampanj")
        verbose_name_plural = _("kampanjer")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FieldActivity(models.Model):
    """Work in the field within a campaign, with what it gave."""

    class Kind(models.TextChoices):
        DOOR_KNOCKING = "dorrknackning", _("Dörrknackning")
        LEAFLETING = "flygblad", _("Flygbladsutdelning")
        MARKET_STAND = "torgmote", _("Torgmöte / bokbord")
        SITE_VISIT = "verksamhetsbesok", _("Verksamhetsbesök")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kampanj"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("datum"))
    district = models.ForeignKey(
        District, verbose_name=_("kommundel"), null=True, blank=True, on_delete=models.SET_NULL
    )
    people = models.ManyToManyField(Member, verbose_name=_("deltagare"), blank=True)
    conversations = models.PositiveIntegerField(_("samtal"), default=0)
    results = models.TextField(_("resultat"), blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Channel(models.Model):
    """Where the chapter reaches people: Facebook, Instagram, the local paper, …"""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    is_active = models.BooleanField(_("används"), default=True)
    # Made by load_demo: the demo finds and changes only rows marked so, never a chapter's own
    # row that happens to bear the demo's name (issue 14, item 7).
    demo = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kanal")
        verbose_name_plural = _("kanaler")

    def __str__(self) -> str:
        return self.name


class PaidMarketing(models.Model):
    """Paid marketing in one channel for one month: what is planned and what was spent."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("kanal"), on_delete=models.PROTECT, related_name="paid_marketing"
    )
    month = models.DateField(_("månad"), help_text=_("Den första dagen i månaden."))
    planned = models.DecimalField(_("planerat (kr)"), max_digits=10, decimal_places=2, default=0)
    spent = models.DecimalField(_("använt (kr)"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["month", "channel__name"]
        verbose_name = _("betald marknadsföring")
        verbose_name_plural = _("betald marknadsföring")
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="one_paid_row_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="paid_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.month:%Y-%m}"


class FollowerCount(models.Model):
    channel = models.ForeignKey(
        Channel, verbose_name=_("kanal"), on_delete=models.CASCADE, related_name="followers"
    )
    month = models.DateField(_("månad"))
    followers = models.PositiveIntegerField(_("följare"))

    class Meta:
        ordering = ["month", "channel__name"]
        verbose_name = _("antal följare")
        verbose_name_plural = _("antal följare")
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="one_count_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="follower_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.month:%Y-%m}: {self.followers}"


class ContentItem(models.Model):
    """A post, video, press release, op-ed or letter to the editor on its way to publication."""

    class Kind(models.TextChoices):
        POST = "inlagg", _("Inlägg")
        VIDEO = "video", _("Video")
        PRESS_RELEASE = "pressmeddelande", _("Pressmeddelande")
        OP_ED = "debattartikel", _("Debattartikel")
        LETTER = "insandare", _("Insändare")

    class Status(models.TextChoices):
        IDEA = "ide", _("Idé")
        DRAFT = "utkast", _("Utkast")
        REVIEW = "granskas", _("Granskas")
        PUBLISHED = "publicerad", _("Publicerad")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    owner = models.ForeignKey(
        Member, verbose_name=_("ansvarig"), on_delete=models.PROTECT, related_name="content"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("kanal"), null=True, blank=True, on_delete=models.SET_NULL
    )
    planned_on = models.DateField(_("planerat datum"))
    profile_issue = models.ForeignKey(
        ProfileIssue,
        verbose_name=_("profilfråga"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.ForeignKey(
        PoliticalBody,
        verbose_name=_("gäller ärende i"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("För pressmeddelanden: nämnden eller bolaget som ärendet hör till."),
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kampanj"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    review_comment = models.TextField(_("kommentar från granskningen"), blank=True)
    published_on = models.DateField(_("publicerad"), null=True, blank=True)
    link = models.URLField(_("länk"), blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("innehåll")
        verbose_name_plural = _("innehåll")

    def __str__(self) -> str:
        return self.title


class LivePanel(models.Model):
    """An interactive panel talk streamed live on the chapter's Facebook page (Mål 5)."""

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        HELD = "genomford", _("Genomförd")
        CANCELLED = "installd", _("Inställd")

    topic = models.CharField(_("ämne"), max_length=200)
    starts_at = models.DateTimeField(_("tid"))
    panellists = models.ManyToManyField(Member, verbose_name=_("paneldeltagare"), blank=True)
    guests = models.TextField(_("inbjudna gäster"), blank=True, help_text=_("En per rad."))
    stream_link = models.URLField(_("länk till sändningen"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    follow_up = models.TextField(_("uppföljning"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("livepanel")
        verbose_name_plural = _("livepaneler")

    def __str__(self) -> str:
        return self.topic


class Competition(models.Model):
    """A competition on the Facebook page; its winner is drawn by a logged, reproducible draw."""

    title = models.CharField(_("namn"), max_length=200)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    rules = models.TextField(_("regler"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("tävling")
        verbose_name_plural = _("tävlingar")

    def __str__(self) -> str:
        return self.title


class CompetitionEntry(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("tävling"), on_delete=models.CASCADE, related_name="entries"
    )
    name = models.CharField(_("namn"), max_length=200)
    contact = models.CharField(_("kontakt"), max_length=200)
    consent = models.BooleanField(_("samtycker till att bli kontaktad"))
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tävlingsbidrag")
        verbose_name_plural = _("tävlingsbidrag")
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="entry_requires_consent")
        ]

    def __str__(self) -> str:
        return self.name


class Draw(models.Model):
    """One draw: the seed and the entries it drew from, so anyone can draw again and check."""

    competition = models.OneToOneField(
        Competition, verbose_name=_("tävling"), on_delete=models.CASCADE, related_name="draw"
    )
    seed = models.BigIntegerField(_("slumpfrö"))
    entry_ids = models.JSONField(_("bidrag i dragningen"))
    winner = models.ForeignKey(
        CompetitionEntry, verbose_name=_("vinnare"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("dragen"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dragen av"), null=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("dragning")
        verbose_name_plural = _("dragningar")

    def __str__(self) -> str:
        return f"{self.competition}: {self.winner}"

    @staticmethod
    def pick(seed: int, entry_ids: list[int]) -> int:
        """The winning entry id for a seed: the same seed and entries always give the same."""
        return random.Random(seed).choice(sorted(entry_ids))

    def reproduces(self) -> bool:
        return self.pick(self.seed, self.entry_ids) == self.winner_id
