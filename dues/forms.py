"""The kassör's forms, and the fields dues adds to the registry's search."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from krets.money import MoneyField, format_money_input
from members.forms import DateInput
from members.models import Member

from .models import DuesInvoice, DuesStatus, Fee, FeeCategory, PaymentMethod


class FeeForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["year", "name", "category", "amount", "due_on", "is_default"]
        widgets = {"due_on": DateInput()}
        field_classes = {"amount": MoneyField}


class PaymentForm(forms.Form):
    amount = MoneyField(label=_("Belopp"), max_digits=8, min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("Betaldag"), widget=DateInput())
    method = forms.ChoiceField(label=_("Betalsätt"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Referens"), max_length=100, required=False)


class ReverseForm(forms.Form):
    reversed_on = forms.DateField(label=_("Datum"), widget=DateInput())
    reason = forms.CharField(label=_("Orsak"), max_length=200)


class WriteOffForm(forms.Form):
    reason = forms.CharField(label=_("Orsak"), max_length=200)


class BankFileForm(forms.Form):
    file = forms.FileField(label=_("Bankfil (camt.054 eller camt.053)"))


class MatchForm(forms.Form):
    ocr = forms.CharField(label=_("OCR-nummer"), max_length=25)

    def clean_ocr(self):
        ocr = "".join(ch for ch in self.cleaned_data["ocr"] if ch.isdigit())
        invoice = DuesInvoice.objects.filter(ocr=ocr).first()
        if invoice is None:
            raise forms.ValidationError(_("Ingen avi har det OCR-numret."))
        return invoice


def registry_filter_fields() -> dict[str, forms.Field]:
    """The registry's search by dues (members.parts): a year and a status."""
    return {
        "avgiftsar": forms.IntegerField(label=_("Avgiftsår"), required=False, min_value=2000),
        "avgift": forms.ChoiceField(
            label=_("Avgift"),
            required=False,
            choices=[("", "—"), *DuesStatus.choices, ("saknas", _("Ingen avi"))],
        ),
    }


class FeeEditForm(CleanTextMixin, forms.Form):
    """A fee's name, amount and due date while none of its invoices is sent (fee_update)."""

    name = forms.CharField(label=_("Avgift"), max_length=100)
    amount = MoneyField(label=_("Belopp"), max_digits=8, min_value=Decimal("0.00"))
    due_on = forms.DateField(label=_("Förfallodag"), widget=DateInput())

    def __init__(self, *args, fee: Fee, **kwargs):
        self.fee = fee
        kwargs.setdefault("initial", {"name": fee.name, "amount": fee.amount, "due_on": fee.due_on})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and Fee.objects.filter(year=self.fee.year, name=name).exclude(pk=self.fee.pk):
            self.add_error("name", _("Det finns redan en avgift med det namnet det året."))
        return cleaned


class CreditNoteForm(forms.Form):
    amount = MoneyField(label=_("Krediterat belopp"), max_digits=8, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Orsak"), max_length=200)

    def __init__(self, *args, invoice: DuesInvoice, **kwargs):
        self.invoice = invoice
        super().__init__(*args, **kwargs)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.invoice.amount:
            raise forms.ValidationError(
                _("Högst avins belopp, %(amount)s kr.")
                % {"amount": format_money_input(self.invoice.amount)}
            )
        return amount


def _number_list(text: str) -> list[int]:
    return [int(part) for part in re.split(r"[\s,;]+", text.strip()) if part]


def members_by_number(text: str) -> list[Member]:
    """Members named by their member numbers (spaces, commas or new lines between), each a
    current member; a Swedish message names what is wrong."""
    if re.search(r"[^\d\s,;]", text):
        raise forms.ValidationError(_("Skriv medlemsnummer (siffror), åtskilda med kommatecken."))
    numbers = _number_list(text)
    found = {m.member_number: m for m in Member.objects.filter(member_number__in=numbers)}
    missing = [str(n) for n in numbers if n not in found]
    if missing:
        raise forms.ValidationError(
            _("Inget medlemsnummer %(numbers)s i registret.") % {"numbers": ", ".join(missing)}
        )
    gone = sorted({str(m.member_number) for m in found.values() if m.left_on is not None})
    if gone:
        raise forms.ValidationError(
            _("Har gått ur föreningen: medlemsnummer %(numbers)s.") % {"numbers": ", ".join(gone)}
        )
    return list({found[n].pk: found[n] for n in numbers}.values())


class HouseholdForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Hushållets namn"), max_length=100)
    payer = forms.CharField(
        label=_("Betalarens medlemsnummer"),
        max_length=12,
        help_text=_("Betalaren får hushållets familjeavgift."),
    )
    members = forms.CharField(
        label=_("Övriga medlemmar (medlemsnummer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel 1042, 1043. En medlem kan bara höra till ett hushåll."),
    )

    def clean_payer(self):
        found = members_by_number(self.cleaned_data["payer"])
        if len(found) != 1:
            raise forms.ValidationError(_("Ange ett medlemsnummer."))
        return found[0]

    def clean_members(self):
        return members_by_number(self.cleaned_data["members"])


class MemberCategoryForm(forms.Form):
    number = forms.IntegerField(label=_("Medlemsnummer"), min_value=1)
    category = forms.ChoiceField(label=_("Kategori"), choices=FeeCategory.choices)

    def clean_number(self):
        member = Member.objects.filter(member_number=self.cleaned_data["number"]).first()
        if member is None:
            raise forms.ValidationError(
                _("Inget medlemsnummer %(n)s i registret.") % {"n": self.cleaned_data["number"]}
            )
        if member.left_on is not None:
            raise forms.ValidationError(_("Medlemmen har gått ur föreningen."))
        return member
