"""Meetings of every kind, their invitations and minutes, the decision group and the kit."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krets.attachments import private_storage
from members.models import District, Member, PoliticalBody


class Kind(models.TextChoices):
    CHAPTER = "kretsmote", _("Kretsmöte")
    BOARD = "styrelsemote", _("Styrelsemöte")
    COUNCIL_GROUP = "fullmaktigegruppsmote", _("Fullmäktigegruppsmöte")
    DECISION_GROUP = "beslutsgruppsmote", _("Beslutsgruppsmöte")
    TRAINING = "utbildning", _("Utbildning")
    POLITICIANS_SCHOOL = "politikerskola", _("Politikerskola")
    CONVERSATION = "samtalstraff", _("Samtalsträff")
    SEMINAR = "seminarium", _("Seminarium")
    DEBATE = "debatt", _("Debatt")
    OPEN_ACTIVITY = "oppen-aktivitet", _("Öppen aktivitet")
    SITE_VISIT = "verksamhetsbesok", _("Verksamhetsbesök")


# Open to all who share the party's values: public feed, public page, every member invited.
OPEN_KINDS = frozenset(
    {Kind.CHAPTER, Kind.CONVERSATION, Kind.SEMINAR, Kind.DEBATE, Kind.OPEN_ACTIVITY}
)
# Owned by the utbildningsansvarig; invited are the registered participants.
TRAINING_KINDS = frozenset({Kind.TRAINING, Kind.POLITICIANS_SCHOOL})


class Topic(models.TextChoices):
    POLITICS = "politik", _("Politik")
    COMMUNICATION = "kommunikation", _("Kommunikation")
    LEADERSHIP = "ledarskap", _("Ledarskap")


class MeetingQuerySet(models.QuerySet):
    def held(self, now: datetime.datetime | None = None) -> "MeetingQuerySet":
        """Decided, not cancelled, and over: what the goals count as held."""
        return self.filter(status=Meeting.Status.DECIDED, ends_at__lte=now or timezone.now())

    def open_to_all(self) -> "MeetingQuerySet":
        return self.filter(kind__in=OPEN_KINDS)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "foreslagen", _("Föreslagen")
        DECIDED = "beslutad", _("Beslutad")
        CANCELLED = "installd", _("Inställd")

    # The iCalendar UID: stable for the meeting's life, whatever else changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    topic = models.CharField(
        _("ämne"),
        max_length=20,
        choices=Topic.choices,
        blank=True,
        help_text=_("För utbildningar och politikerskola."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    # Made by load_demo: the demo finds and changes only rows marked so, never a chapter's own
    # row that happens to bear the demo's name (issue 14, item 7).
    demo = models.BooleanField(default=False, db_default=False, editable=False)
    description = models.TextField(_("beskrivning"), blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    address = models.CharField(_("adress"), max_length=200, blank=True)
    video_url = models.URLField(_("videolänk"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    organiser = models.ForeignKey(
        Member,
        verbose_name=_("arrangör"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_meetings",
    )
    minutes = models.TextField(_("protokoll"), blank=True)
    minutes_approved_at = models.DateTimeField(_("protokollet justerat"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("justerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sekreterare has finished writing: the justerare are asked; nothing more is written.
    minutes_finished_at = models.DateTimeField(_("protokollet klart"), null=True, blank=True)
    # Raised on every change a calendar client should notice (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        indexes = [models.Index(fields=["kind", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.kind in OPEN_KINDS

    @property
    def is_training(self) -> bool:
        return self.kind in TRAINING_KINDS

    @property
    def is_digital(self) -> bool:
        return bool(self.video_url)

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def location(self) -> str:
        """The address, then the district unless the address already names it."""
        district = str(self.district or "")
        if district and district.lower() in self.address.lower():
            return self.address
        return ", ".join(part for part in (self.address, district) if part)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("möte")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.CharField(_("punkt"), max_length=200)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordning")

    def __str__(self) -> str:
        return self.title


class MinutesDecision(models.Model):
    """A decision written in the minutes; locked with them."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("möte")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.TextField(_("beslut"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self) -> str:
        return self.text[:60]


class Invitation(models.Model):
    """One invited person: reply, reminder and attendance. Trainings: a registered participant."""

    class Reply(models.TextChoices):
        NONE = "", _("Inget svar")
        YES = "ja", _("Kommer")
        NO = "nej", _("Kommer inte")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    reply = models.CharField(_("svar"), max_length=3, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("närvarade"), null=True, blank=True)

    class Meta:
        ordering = ["member__last_name", "member__first_name", "id"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_invitation_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}"


COUNCIL = "Kommunfullmäktige"


class CouncilMeeting(models.Model):
    """A municipal council meeting (kommunfullmäktige); the council group meets before it.

    One per body and day, and one per event of an imported calendar (its UID): entering the
    same meeting again, with a new time or from the council's own `.ics`, moves it instead of
    proposing a second group meeting."""

    body = models.CharField(_("organ"), max_length=100, default=COUNCIL)
    day = models.DateField(_("dag"))  # starts_at's day in Sandviken
    starts_at = models.DateTimeField(_("börjar"))
    source_uid = models.CharField(_("UID i kommunens kalender"), max_length=255, blank=True)
    group_meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("gruppmöte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_meeting",
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("kommunfullmäktige")
        verbose_name_plural = _("kommunfullmäktige")
        constraints = [
            models.UniqueConstraint(fields=["body", "day"], name="one_council_meeting_a_day"),
            models.UniqueConstraint(
                fields=["source_uid"],
                condition=~Q(source_uid=""),
                name="one_council_meeting_per_source_uid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.day:%Y-%m-%d}"


class Matter(models.Model):
    """A matter for the strategic decision group (strategisk beslutsgrupp)."""

    class Status(models.TextChoices):
        OPEN = "oppen", _("Öppen för röstning")
        CLOSED = "avslutad", _("Avslutad")

    title = models.CharField(_("ärende"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    body = models.ForeignKey(
        PoliticalBody, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="matters"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_reason = models.CharField(max_length=20, blank=True)
    outcome_text = models.TextField(_("hur utfallet nåddes"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("beslutsärende")
        verbose_name_plural = _("beslutsärenden")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class GroupSeat(models.Model):
    """A member of a matter's group, fixed when the matter is raised; roles it holds by."""

    class Role(models.TextChoices):
        BODY_MEMBER = "ordinarie", _("Ordinarie ledamot i organet")
        CHAIR = "ordforande", _("Kretsens ordförande")
        GROUP_LEADER = "gruppledare", _("Gruppledare")
        COMMISSIONER = "kommunalrad", _("Kommunalråd")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="group_seats")
    roles = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "member"], name="one_seat_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} ({', '.join(self.role_labels)})"

    @property
    def role_labels(self) -> list[str]:
        return [str(self.Role(role).label) for role in self.roles]

    @property
    def speaks_to_media(self) -> bool:
        return bool({self.Role.BODY_MEMBER, self.Role.COMMISSIONER} & set(self.roles))


class Proposal(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="proposals")
    text = models.CharField(_("förslag"), max_length=300)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """A group member's vote; no proposal means an abstention (avstår)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.proposal or '–'}"


class KitManager(models.Manager):
    def default(self) -> "Kit":
        """The chapter's one kit (made by migration 0002; again here after a test flush)."""
        return self.get_or_create(name=DEFAULT_KIT_NAME)[0]


DEFAULT_KIT_NAME = "Konferensutrustningen (kamera, högtalare, mikrofon)"


class Kit(models.Model):
    """The chapter's conference kit: camera, speaker and microphone."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    # Written by the booking service on SQLite to take the database's write lock.
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = KitManager()

    class Meta:
        verbose_name = _("konferensutrustning")
        verbose_name_plural = _("konferensutrustning")

    def __str__(self) -> str:
        return self.name


class KitBooking(models.Model):
    """A time range [starts_at, ends_at). No two overlap: on PostgreSQL an exclusion
    constraint (migration 0002) refuses it; elsewhere the booking service checks under a lock."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="bookings")
    booked_by = models.ForeignKey(
        Member, verbose_name=_("bokad av"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kit_bookings",
    )
    starts_at = models.DateTimeField(_("från"))
    ends_at = models.DateTimeField(_("till"))
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("bokning")
        verbose_name_plural = _("bokningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="kit_booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kit} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private calendar feed; a new token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}"


# Minutes by paragraph (§), their justering, and who came ---------------------------------


class MinutesParagraph(models.Model):
    """One § of the minutes: what the meeting discussed and what it decided (beslut)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("möte")
    )
    number = models.PositiveSmallIntegerField(_("§"))
    title = models.CharField(_("rubrik"), max_length=200)
    discussion = models.TextField(_("diskussion"), blank=True)
    decision = models.TextField(_("beslut"), blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_paragraph_number")
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"


class Adjuster(models.Model):
    """A justerare chosen at the meeting; the minutes lock when both have adjusted."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="adjusters", verbose_name=_("möte")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("justerare")
    )
    asked_at = models.DateTimeField(_("tillfrågad"), null=True, blank=True)
    adjusted_at = models.DateTimeField(_("justerade"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    commented_at = models.DateTimeField(_("kommenterade"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_adjuster_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}"


class WalkIn(models.Model):
    """Someone present who was not invited: a member, or a guest by name."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="walk_ins", verbose_name=_("möte")
    )
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("medlem"),
    )
    guest_name = models.CharField(_("gästens namn"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("närvarande utan inbjudan")
        verbose_name_plural = _("närvarande utan inbjudan")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="one_walk_in_per_member",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""),
                name="walk_in_member_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return str(self.member) if self.member_id else self.guest_name


def _attachment_path(instance, filename: str) -> str:
    # A random name: nothing of the uploaded name reaches the file system.
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}"


class MinutesAttachment(models.Model):
    """A file attached to the minutes. A new upload under the same name is a new version;
    earlier versions are kept."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("möte")
    )
    name = models.CharField(_("namn"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(
        upload_to=_attachment_path, storage=private_storage, max_length=200, editable=False
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
                fields=["meeting", "name", "version"], name="one_attachment_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"
