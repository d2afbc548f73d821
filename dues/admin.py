from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from krets.admin_audit import AuditedAdmin
from krets.money import MONEY_FORMFIELDS

from .models import DuesInvoice, Fee, Household, MemberCategory, Payment


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    formfield_overrides = MONEY_FORMFIELDS
    list_display = ["year", "name", "amount", "due_on", "is_default"]
    list_filter = ["year"]


@admin.register(DuesInvoice)
class DuesInvoiceAdmin(AuditedAdmin):
    formfield_overrides = MONEY_FORMFIELDS
    list_display = ["member", "year", "amount", "due_on", "ocr"]
    list_filter = ["year", "member__district"]
    search_fields = ["ocr", "member__last_name", "member__first_name"]
    list_select_related = ["member"]
    raw_id_fields = ["member"]


@admin.register(Payment)
class PaymentAdmin(AuditedAdmin):
    formfield_overrides = MONEY_FORMFIELDS
    list_display = ["invoice", "paid_on", "amount", "method"]
    list_filter = ["method"]
    list_select_related = ["invoice__member"]
    raw_id_fields = ["invoice"]


class HouseholdAdminForm(forms.ModelForm):
    """The admin keeps the pages' rule: a member belongs to at most one household."""

    class Meta:
        model = Household
        fields = ["name", "payer", "members"]

    def clean(self):
        cleaned = super().clean()
        members = list(cleaned.get("members") or [])
        if cleaned.get("payer") is not None and cleaned["payer"] not in members:
            members.append(cleaned["payer"])
        taken = [
            m
            for m in members
            if m.households.exclude(pk=self.instance.pk if self.instance.pk else None).exists()
        ]
        if taken:
            raise forms.ValidationError(
                _(
                    "Redan med i ett annat hushåll: %(names)s. "
                    "En medlem kan bara höra till ett hushåll."
                )
                % {"names": ", ".join(sorted(m.full_name for m in taken))}
            )
        return cleaned


@admin.register(Household)
class HouseholdAdmin(AuditedAdmin):  # names the payer and the members
    form = HouseholdAdminForm
    list_display = ["name", "payer"]
    raw_id_fields = ["payer", "members"]


@admin.register(MemberCategory)
class MemberCategoryAdmin(AuditedAdmin):
    list_display = ["member", "category"]
    list_filter = ["category"]
    raw_id_fields = ["member"]
