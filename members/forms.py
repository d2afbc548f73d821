from django import forms
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from krets.versioned import cached

from . import parts
from .models import REGISTRY_FIELDS, BoardFunction, District, Member, MemberTask
from .selectors import AGE_BANDS
from .validators import phone_normalise


class BoardInviteForm(CleanTextMixin, forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-post"))
    function = forms.ChoiceField(label=_("Funktion"), choices=BoardFunction.choices)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhoneField(forms.CharField):
    """Accepts Swedish input such as `070-123 45 67`; cleans to E.164."""

    def clean(self, value):
        return phone_normalise(super().clean(value))


class MemberForm(CleanTextMixin, forms.ModelForm):
    phone = PhoneField(label=_("Telefon"), required=False, max_length=40)
    clean_text_fields = CleanTextMixin.clean_text_fields + CleanTextMixin.address_fields
    recruiter_number = forms.IntegerField(
        label=_("Värvad av (medlemsnummer)"), required=False, min_value=1
    )

    class Meta:
        model = Member
        fields = [name for name in REGISTRY_FIELDS if name != "recruited_by"]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"member_number": _("Lämna tomt för nästa lediga nummer.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_number"].required = False
        if self.instance.pk and self.instance.recruited_by_id:
            self.initial["recruiter_number"] = self.instance.recruited_by.member_number

    def clean_member_number(self):
        # Blank keeps the number a member has; a new member gets the next free one.
        return self.cleaned_data.get("member_number") or self.instance.member_number

    def clean_recruiter_number(self):
        number = self.cleaned_data.get("recruiter_number")
        if not number:
            return None
        recruiter = Member.objects.filter(member_number=number).first()
        if recruiter is None or recruiter.pk == self.instance.pk:
            raise forms.ValidationError(_("Det finns ingen annan medlem med det numret."))
        return recruiter

    def member_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["recruited_by"] = self.cleaned_data.get("recruiter_number")
        return data


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Utträdesdatum"), widget=DateInput())
    reason = forms.CharField(label=_("Anledning"), max_length=200, required=False)


class TaskDoneForm(forms.Form):
    method = forms.ChoiceField(label=_("Hur togs kontakten?"), choices=MemberTask.Method.choices)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Medlemslista (CSV eller XLSX)"),
        help_text=_("Första raden är rubriker. Se kolumnerna nedan."),
    )


class SelfServiceForm(CleanTextMixin, forms.ModelForm):
    phone = PhoneField(label=_("Telefon"), required=False, max_length=40)
    clean_text_fields = CleanTextMixin.address_fields

    class Meta:
        model = Member
        fields = [
            "email",
            "phone",
            "address",
            "postcode",
            "town",
            "newsletter_consent",
            "open_meeting_invitations",
        ]
        labels = {
            "newsletter_consent": _("Jag vill ha nyhetsbrevet"),
            "open_meeting_invitations": _("Jag vill ha inbjudningar till öppna möten (kretsmöten)"),
        }
        help_texts = {
            "open_meeting_invitations": _(
                "Inbjudningar till möten du är kallad till personligen (styrelsen, "
                "fullmäktigegruppen), dina fakturor och svar på dina egna ärenden får du alltid."
            ),
        }


class ContactFilterForm(forms.Form):
    """The contact list's search and filters (GET)."""

    q = forms.CharField(label=_("Sök namn eller medlemsnummer"), required=False, max_length=100)
    kommundel = forms.TypedChoiceField(label=_("Kommundel"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("", _("Alla")), ("forsenad", _("Försenade")), ("i-tid", _("Inte försenade"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommundel"].choices = [("", "—"), *District.objects.values_list("pk", "name")]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("q") or "").strip(),
            "district": data.get("kommundel") or None,
            "status": data.get("status") or "",
        }


class MemberFilterForm(forms.Form):
    """The registry's search, filters and sorting (GET)."""

    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("aktiva", _("Medlemmar")), ("uttradda", _("Utträdda")), ("alla", _("Alla"))],
    )
    kommundel = forms.TypedChoiceField(label=_("Kommundel"), required=False, coerce=int)
    # Fields other apps add (members.parts, e.g. dues' year and status) come here.
    fran = forms.DateField(label=_("Inskriven från"), required=False, widget=DateInput())
    till = forms.DateField(label=_("Inskriven till"), required=False, widget=DateInput())
    alder = forms.ChoiceField(
        label=_("Ålder"),
        required=False,
        choices=[("", "—"), *[(band, band.replace("-", "–")) for band in AGE_BANDS]],
    )
    sortering = forms.ChoiceField(
        label=_("Sortering"),
        required=False,
        choices=[
            ("namn", _("Namn A–Ö")),
            ("-namn", _("Namn Ö–A")),
            ("nummer", _("Medlemsnummer")),
            ("-inskriven", _("Senast inskrivna")),
            ("inskriven", _("Först inskrivna")),
            ("kommundel", _("Kommundel")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One read serves both validation and the rendered options (the versioned cache: no
        # query while no district changes).
        districts = cached(
            "districts", "", lambda: list(District.objects.values_list("pk", "name"))
        )
        self.fields["kommundel"].choices = [("", "—"), *districts]
        self.part_fields = {}
        for part in parts.registered():
            if part.filter_fields is not None:
                self.part_fields.update(part.filter_fields())
        if self.part_fields:
            # After the district, before the dates: where the form has always shown them.
            names = list(self.fields)
            at = names.index("kommundel") + 1
            fields = {name: self.fields[name] for name in names}
            self.fields = {
                **{name: fields[name] for name in names[:at]},
                **self.part_fields,
                **{name: fields[name] for name in names[at:]},
            }

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": "aktiva"}
        data = self.cleaned_data
        district = data.get("kommundel")
        return {
            "search": data.get("q", "").strip(),
            "status": data.get("status") or "aktiva",
            "district": district or None,
            "part_filters": {name: data.get(name) for name in self.part_fields},
            "joined_from": data.get("fran"),
            "joined_to": data.get("till"),
            "age_band": data.get("alder") or "",
            "sort": data.get("sortering") or "namn",
        }


class LoginEmailForm(forms.Form):
    email = forms.EmailField(label=_("Ny inloggningsadress"))
