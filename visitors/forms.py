"""The public forms. Their consent boxes carry the exact wording stored with the consent."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from dues.models import Fee
from meetings.models import Meeting
from members.models import District

from .abuse import GuardedForm
from .models import (
    INVITE_CONSENT,
    MEMBERSHIP_CONSENT,
    MEMBERSHIP_TERMS,
    SIGNUP_CONSENT,
    Source,
)


class SignUpForm(GuardedForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon (frivilligt)"), max_length=20, required=False)
    consent = forms.BooleanField(label=SIGNUP_CONSENT)
    invite_consent = forms.BooleanField(label=INVITE_CONSENT, required=False)

    # The campaign whose link brought the visitor (?kampanj=), kept on the sign-up.
    kampanj = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "email", "phone", "consent", "invite_consent", "website", "started"]

    def source(self) -> dict:
        campaign = campaign_named(self.cleaned_data.get("kampanj"))
        if campaign is not None:
            return {
                "source": Source.CAMPAIGN,
                "source_detail": str(campaign)[:200],
                "campaign": campaign,
            }
        return {"source": Source.MEETING, "source_detail": "", "campaign": None}


def campaign_named(pk: int | None) -> Campaign | None:
    if not pk or pk > 2**31 - 1:
        return None
    return Campaign.objects.filter(pk=pk).first()


class JoinForm(GuardedForm):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    birth_date = forms.DateField(
        label=_("Födelsedatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    address = forms.CharField(label=_("Adress"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postnummer"),
        regex=r"^\d{3} ?\d{2}$",
        error_messages={"invalid": _("Skriv postnumret som fem siffror, t.ex. 811 30.")},
    )
    town = forms.CharField(label=_("Ort"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("Kommundel"),
        queryset=District.objects.all(),
        required=False,
        help_text=_("Vet du inte? Lämna tomt så väljer vi efter postnumret."),
    )
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False)
    fee_name = forms.ChoiceField(label=_("Avgift"), required=False)
    consent = forms.BooleanField(label=MEMBERSHIP_CONSENT)
    terms = forms.BooleanField(label=MEMBERSHIP_TERMS)
    # Where the person came from: a link "Bli medlem" from a meeting's page (?mote=) or a
    # campaign's (?kampanj=); resolved to a title by the view, kept as text on the application.
    mote = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kampanj = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fees = Fee.objects.filter(year=timezone.localdate().year).order_by("-is_default", "name")
        if fees:
            self.fields["fee_name"].choices = [
                (fee.name, f"{fee.name} ({fee.amount:.0f} kr)") for fee in fees
            ]
        else:  # no fee schedule this year: nothing to choose
            del self.fields["fee_name"]

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born > today or born < today - datetime.timedelta(days=120 * 366):
            raise forms.ValidationError(_("Kontrollera födelsedatumet."))
        return born

    def application_data(self) -> dict:
        data = self.cleaned_data
        return self._source(data) | {
            name: data.get(name) or ("" if name != "district" else None)
            for name in (
                "first_name",
                "last_name",
                "birth_date",
                "address",
                "postcode",
                "town",
                "district",
                "email",
                "phone",
                "fee_name",
            )
        }

    @staticmethod
    def _source(data) -> dict:
        mote = data.get("mote")
        if mote and mote < 2**31 and (meeting := Meeting.objects.filter(pk=mote).first()):
            return {"source": Source.MEETING, "source_detail": meeting.title[:200]}
        if (campaign := campaign_named(data.get("kampanj"))) is not None:
            return {
                "source": Source.CAMPAIGN,
                "source_detail": str(campaign)[:200],
                "campaign": campaign,
            }
        return {"source": Source.FORM, "source_detail": ""}


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Vill du berätta varför? (frivilligt)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl (frivilligt, står i mejlet till den sökande)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
