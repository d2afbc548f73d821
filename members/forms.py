from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BoardFunction


class BoardInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-post"))
    function = forms.ChoiceField(label=_("Funktion"), choices=BoardFunction.choices)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
