"""Form fields shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import clean_line


class HttpsURLField(forms.URLField):
    """A link where `example.org/x` means https://example.org/x (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class CleanTextMixin:
    """Strips control and bidirectional-override characters from a form's name and title fields
    (krets.text.clean_line); put it first among the form's bases."""

    clean_text_fields = ("first_name", "last_name", "name", "title", "subject", "topic", "label")
    # A member's own lines: shown on lists, letters and avis like a name.
    address_fields = ("address", "postcode", "town")

    def clean(self):
        cleaned = super().clean()
        for name in self.clean_text_fields:
            value = cleaned.get(name)
            if not isinstance(value, str):
                continue
            value = clean_line(value)
            if not value and self.fields[name].required:
                self.add_error(name, _("Fältet måste innehålla text."))
            else:
                cleaned[name] = value
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit log's filters: who did it, whom it concerned, what kind, when."""

    vem = forms.TypedChoiceField(label=_("Vem"), required=False, coerce=str)
    om = forms.CharField(label=_("Om medlem (namn eller nummer)"), required=False, max_length=100)
    handelse = forms.ChoiceField(label=_("Händelse"), required=False)
    fran = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actors: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AuditEvent

        for field in self.fields.values():
            is_select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.fields["vem"].choices = [("", _("Alla"))] + [(str(pk), name) for pk, name in actors]
        self.fields["handelse"].choices = [("", _("Alla händelser"))] + list(
            AuditEvent.Action.choices
        )
