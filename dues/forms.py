"""The kassör's forms, and the fields dues adds to the registry's search."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from members.forms import DateInput

from .models import DuesInvoice, DuesStatus, Fee, PaymentMethod


class FeeForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["year", "name", "amount", "due_on", "is_default"]
        widgets = {"due_on": DateInput()}


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Belopp"), max_digits=8, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label=_("Betaldag"), widget=DateInput())
    method = forms.ChoiceField(label=_("Betalsätt"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Referens"), max_length=100, required=False)


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
