from django import forms
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from members.models import Member

from .models import (
    Activity,
    AnnualReport,
    Goal,
    LogEntry,
    ProfileIssue,
    ProgrammeLink,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["year", "number", "title", "description"]


class ActivityForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["year", "title", "description", "goals", "responsible", "starts_on", "ends_on"]
        widgets = {"goals": forms.CheckboxSelectMultiple, "starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.filter(year=year)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and any(goal.year != year for goal in cleaned.get("goals", [])):
            self.add_error("goals", _("Aktiviteten kan bara tjäna mål för samma år."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Perioden slutar innan den börjar."))
        return cleaned


class TargetForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["label", "measure", "activity", "target"]

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["measure"] = forms.ChoiceField(
            label=_("Mäts genom"), choices=Target.measure_choices()
        )
        self.fields["activity"].queryset = goal.activities.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("measure") == Target.LOGGED and not cleaned.get("activity"):
            self.add_error("activity", _("Välj aktiviteten vars loggade poster ska räknas."))
        return cleaned

    def save(self, commit=True):
        self.instance.goal = self.goal
        return super().save(commit)


class LogEntryForm(forms.ModelForm):
    link = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = LogEntry
        fields = ["activity", "happened_on", "what", "who", "link"]
        widgets = {"happened_on": DATE}

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(year=year)


class ThemeGroupForm(CleanTextMixin, forms.ModelForm):
    """Leader and members by email: the registry is too large for a drop-down."""

    leader_email = forms.EmailField(label=_("Ledarens e-post"), required=False)
    member_emails = forms.CharField(
        label=_("Deltagarnas e-post"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("En adress per rad. Deltagare kan vara vilka medlemmar som helst."),
    )

    new_profile_issues = forms.CharField(
        label=_("Nya profilfrågor"),
        required=False,
        help_text=_("Skilj flera åt med kommatecken."),
    )

    class Meta:
        model = ThemeGroup
        fields = ["topic", "description", "profile_issues"]
        widgets = {"profile_issues": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["leader_email"] = (
                self.instance.leader.email if self.instance.leader else ""
            )
            self.initial["member_emails"] = "\n".join(
                self.instance.members.values_list("email", flat=True)
            )

    @staticmethod
    def _member(email: str) -> Member | None:
        return Member.objects.filter(email__iexact=email, left_on__isnull=True).first()

    def clean_leader_email(self):
        email = self.cleaned_data["leader_email"].strip()
        if not email:
            return None
        member = self._member(email)
        if member is None:
            raise forms.ValidationError(_("Ingen medlem har den adressen."))
        return member

    def clean_member_emails(self):
        emails = [line.strip() for line in self.cleaned_data["member_emails"].splitlines()]
        members, unknown = [], []
        for email in filter(None, emails):
            member = self._member(email)
            (members if member else unknown).append(member or email)
        if unknown:
            raise forms.ValidationError(
                _("Ingen medlem har adressen %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return members

    def save(self, commit=True):
        self.instance.leader = self.cleaned_data["leader_email"]
        group = super().save(commit)
        group.members.set(self.cleaned_data["member_emails"])
        names = {n.strip() for n in self.cleaned_data["new_profile_issues"].split(",")}
        group.profile_issues.add(
            *(ProfileIssue.objects.get_or_create(name=name)[0] for name in names if name)
        )
        return group


class ThemeDocumentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ThemeDocument
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class PublishForm(forms.Form):
    channel = forms.CharField(label=_("Kanal"), max_length=100)
    published_on = forms.DateField(label=_("Publiceringsdatum"), widget=DATE)
    link = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}))


class ProgrammePointForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ProgrammePoint
        fields = ["term", "number", "title", "text", "status"]


class ProgrammeLinkForm(CleanTextMixin, forms.ModelForm):
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = ProgrammeLink
        fields = ["kind", "title", "url", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = ThemeDocument.objects.select_related("group")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("document"):
            raise forms.ValidationError(_("Ange en länk eller välj ett dokument."))
        return cleaned


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["introduction", "activities_text", "closing"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in ["introduction", "activities_text", "closing"]
        }
