from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from krets.forms import AmountField, CleanTextMixin, HttpsURLField
from members.models import Member, PartyPosition

from .models import (
    Campaign,
    Channel,
    Competition,
    CompetitionEntry,
    ContentItem,
    FieldActivity,
    LivePanel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def board_members():
    """People to pick as owners or panellists: this and recent years' board and active members
    would be too many in a region, so owners are chosen among board members."""
    return Member.objects.filter(board_assignments__isnull=False, left_on__isnull=True).distinct()


def board_members_and_leading_politicians():
    """Panellists and field-activity participants: the board, and the kommunalråd and the
    gruppledare (a current party position), who are the party's face in the municipality."""
    leading = PartyPosition.objects.current().values("member_id")
    return (
        Member.objects.filter(left_on__isnull=True)
        .filter(Q(board_assignments__isnull=False) | Q(pk__in=leading))
        .distinct()
    )


def goal_choices(field) -> None:
    """Goals of every year, newest first, named with their year."""
    field.queryset = Goal.objects.order_by("-year", "number")
    field.label_from_instance = lambda goal: f"{goal.year} · {goal}"


class CampaignForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "purpose",
            "goals",
            "starts_on",
            "ends_on",
            "mode",
            "owner_function",
            "budget",
            "status",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goal_choices(self.fields["goals"])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatum kan inte vara före startdatum."))
        return data


class FieldActivityForm(forms.ModelForm):
    class Meta:
        model = FieldActivity
        fields = ["kind", "date", "district", "people", "conversations", "results"]
        widgets = {"date": DATE, "results": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = board_members_and_leading_politicians()


class ChannelForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name"]


class FollowersForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Kanal"), queryset=Channel.objects.filter(is_active=True)
    )
    month = forms.DateField(
        label=_("Månad"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    followers = forms.IntegerField(label=_("Följare"), min_value=0)


class ContentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ContentItem
        fields = [
            "kind",
            "title",
            "text",
            "channel",
            "planned_on",
            "profile_issue",
            "goal",
            "body",
            "campaign",
        ]
        widgets = {"planned_on": DATE, "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goal_choices(self.fields["goal"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == ContentItem.Kind.PRESS_RELEASE and not data.get("body"):
            self.add_error(
                "body",
                _(
                    "Ange vilken nämnd eller vilket bolag pressmeddelandet gäller, "
                    "så att det framgår vem som uttalar sig."
                ),
            )
        return data


class PublishForm(forms.Form):
    link = HttpsURLField(label=_("Länk till det publicerade"), required=False)
    published_on = forms.DateField(label=_("Publiceringsdatum"), widget=DATE, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Vad behöver ändras?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LivePanelForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = LivePanel
        fields = [
            "topic",
            "starts_at",
            "panellists",
            "guests",
            "stream_link",
            "status",
            "follow_up",
        ]
        field_classes = {"stream_link": HttpsURLField}
        widgets = {
            "starts_at": DATETIME,
            "guests": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panellists"].queryset = board_members_and_leading_politicians()


class CompetitionForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Competition
        fields = ["title", "starts_on", "ends_on", "rules"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "rules": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatum kan inte vara före startdatum."))
        return data


class EntryForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = CompetitionEntry
        fields = ["name", "contact", "consent"]

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("Bidraget kan bara tas med om personen samtycker till att bli kontaktad.")
            )
        return True


class MonthPlanForm(forms.Form):
    """Planned and spent amounts for one month, a pair of fields per active channel."""

    def __init__(self, *args, channels, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = list(channels)
        for channel in self.channels:
            row = existing.get(channel.pk)
            for kind, label in (("planned", _("planerat (kr)")), ("spent", _("använt (kr)"))):
                self.fields[f"{kind}_{channel.pk}"] = AmountField(
                    label=f"{channel.name}: {label}",
                    min_value=0,
                    max_digits=10,
                    decimal_places=2,
                    required=False,
                    initial=getattr(row, kind, None) if row else None,
                )

    def amounts(self) -> dict:
        return {
            channel.pk: (
                self.cleaned_data.get(f"planned_{channel.pk}") or 0,
                self.cleaned_data.get(f"spent_{channel.pk}") or 0,
            )
            for channel in self.channels
        }
