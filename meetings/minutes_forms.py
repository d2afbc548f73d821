"""Forms of the minutes by §, the choice of justerare, a justerare's answer and walk-ins."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member


def member_label(member: Member) -> str:
    """A name the secretary can tell apart: the registry has several Nils Björk, so the
    district and the member number follow (no contact details: the secretary reads names)."""
    known = [str(member.district)] if member.district else []
    if member.member_number:
        known.append(_("nr %(number)s") % {"number": member.member_number})
    return f"{member.full_name} ({', '.join(known)})" if known else member.full_name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return member_label(obj)


class ParagraphForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False)
    discussion = forms.CharField(
        label=_("Diskussion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.CharField(
        label=_("Beslut"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ParagraphFormSet = forms.formset_factory(ParagraphForm, extra=2, max_num=200, can_delete=True)


class AdjustersForm(forms.Form):
    """Two justerare from the members recorded as present."""

    first = MemberChoiceField(label=_("Justerare 1"), queryset=Member.objects.none())
    second = MemberChoiceField(label=_("Justerare 2"), queryset=Member.objects.none())

    def __init__(self, *args, present_ids, **kwargs):
        super().__init__(*args, **kwargs)
        present = (
            Member.objects.filter(pk__in=present_ids)
            .select_related("district")
            .order_by("last_name", "first_name")
        )
        self.fields["first"].queryset = present
        self.fields["second"].queryset = present

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Välj två olika justerare."))
        return data


class AdjustForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar till sekreteraren"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WalkInForm(forms.Form):
    """A member by e-post or membership number, or a guest by name."""

    member = MemberChoiceField(label=_("Medlem"), queryset=Member.objects.none(), required=False)
    guest_name = forms.CharField(label=_("Eller gästens namn"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.filter(left_on__isnull=True)
            .select_related("district")
            .order_by("last_name", "first_name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("guest_name", "").strip():
            raise forms.ValidationError(_("Välj en medlem eller skriv gästens namn."))
        return data
