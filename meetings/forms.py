import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from members.models import District, Member, PoliticalBody

from . import council_dates
from .models import TRAINING_KINDS, Kind, Meeting

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(CleanTextMixin, forms.ModelForm):
    video_url = forms.URLField(label=_("Videolänk"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Dagordning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("En punkt per rad."),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "topic",
            "title",
            "starts_at",
            "ends_at",
            "district",
            "address",
            "video_url",
            "status",
            "organiser",
            "description",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in Kind.choices if c[0] in kinds]
        # Organisers are people with a role; the whole registry is not for this form.
        self.fields["organiser"].queryset = Member.objects.filter(
            Q(board_assignments__isnull=False) | Q(body_assignments__isnull=False),
            left_on__isnull=True,
        ).distinct()
        if self.instance.pk:
            self.fields["agenda"].initial = "\n".join(
                item.title for item in self.instance.agenda_items.all()
            )

    def clean_title(self):
        title = self.cleaned_data["title"]
        # A title is one line: in a calendar's SUMMARY or a mail's subject a break cuts it.
        if "\n" in title or "\r" in title:
            raise forms.ValidationError(_("Rubriken ska vara en enda rad, utan radbrytningar."))
        return title

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjar."))
        if not (data.get("district") or data.get("address") or data.get("video_url")):
            self.add_error(
                "district", _("Ange en plats (kommundel och adress), en videolänk eller båda.")
            )
        if data.get("kind") in TRAINING_KINDS and not data.get("topic"):
            self.add_error("topic", _("Välj ett ämne för utbildningen."))
        return data

    def agenda_items(self) -> list[str]:
        return self.cleaned_data["agenda"].splitlines()


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Protokoll"), required=False, widget=forms.Textarea)
    decisions = forms.CharField(
        label=_("Beslut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett beslut per rad."),
    )


class ParticipantForm(forms.Form):
    email = forms.EmailField(label=_("Deltagarens e-post"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        member = Member.objects.filter(email__iexact=email, left_on__isnull=True).first()
        if member is None:
            # The same words whatever the reason: a role without registry rights must not learn
            # from this form whether an address belongs to a member (issue 13).
            raise forms.ValidationError(_("Kunde inte lägga till."), code="not_added")
        self.member = member
        return email


class YearPlanForm(forms.Form):
    dates = forms.CharField(
        label=_("Datum och kommundel"),
        widget=forms.Textarea(attrs={"rows": 11}),
        help_text=_("En rad per kretsmöte: 2023-03-01 Sandviken"),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_dates(self):
        districts = {d.name.lower(): d for d in District.objects.all()}
        rows = []
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            if not line.strip():
                continue
            day_text, _space, district_name = line.strip().partition(" ")
            try:
                day = datetime.date.fromisoformat(day_text)
            except ValueError:
                raise forms.ValidationError(
                    _("Rad %(n)s: datumet ska skrivas ÅÅÅÅ-MM-DD.") % {"n": number}
                ) from None
            district = districts.get(district_name.strip().lower())
            if district is None:
                raise forms.ValidationError(_("Rad %(n)s: okänd kommundel.") % {"n": number})
            if day.year != self.year:
                raise forms.ValidationError(
                    _("Rad %(n)s: datumet ligger inte i %(year)s.")
                    % {"n": number, "year": self.year}
                )
            rows.append((day, district))
        return rows


class CouncilMeetingsForm(forms.Form):
    starts = forms.CharField(
        label=_("Sammanträden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ett per rad, som på kommunens webbplats: "
            "Kommunfullmäktige 2027-02-22 kl. 13.00 eller 22 februari 2027 kl. 13.00."
        ),
    )
    calendar_file = forms.FileField(
        label=_("eller kommunens kalender (.ics)"),
        required=False,
        help_text=_("Ett sammanträde som redan finns flyttas om tiden har ändrats."),
    )
    days_before = forms.IntegerField(label=_("Gruppmöte dagar före"), min_value=0, max_value=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skipped = council_dates.CalendarImport(dates=[])

    def clean_starts(self):
        try:
            return council_dates.parse_lines(self.cleaned_data["starts"])
        except council_dates.CouncilDateError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_calendar_file(self):
        upload = self.cleaned_data["calendar_file"]
        if not upload:
            return []
        if upload.size > council_dates.MAX_ICS_BYTES:
            raise forms.ValidationError(_("Filen är för stor för en kalender (högst 1 MB)."))
        try:
            self.skipped = council_dates.parse_ics(upload.read())
        except council_dates.CouncilDateError as error:
            raise forms.ValidationError(str(error)) from None
        return self.skipped.dates

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("starts") and not data.get("calendar_file"):
            if self.skipped.total:
                raise forms.ValidationError(
                    _("Kalendern har inga kommande sammanträden att lägga in.")
                )
            raise forms.ValidationError(_("Klistra in sammanträden eller välj kommunens kalender."))
        return data

    def dates(self) -> list:
        return self.cleaned_data["starts"] + self.cleaned_data["calendar_file"]


class MatterForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Ärende"), max_length=200)
    body = forms.ModelChoiceField(label=_("Organ"), queryset=PoliticalBody.objects.all())
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea)
    proposals = forms.CharField(
        label=_("Förslag"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ett förslag per rad."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Beslutsgruppsmöte"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Gruppens ledamöter bjuds in till mötet; protokollet visar rösterna."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Kind.DECISION_GROUP).exclude(
            status=Meeting.Status.CANCELLED
        )


class KitBookingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Från"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Till"), widget=DATETIME_WIDGET)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=200)
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, meetings, **kwargs):
        """`meetings`: those the booker may see (meetings.selectors.meetings_visible_to)."""
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings.exclude(status=Meeting.Status.CANCELLED)
