from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krets.forms import CleanTextMixin
from krets.html import remote_images

from .markup import markdown_to_html
from .models import Newsletter


class NewsletterForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["subject", "body", "audience", "district", "joined_months"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def clean_body(self):
        if remote := remote_images(markdown_to_html(self.cleaned_data["body"])):
            message = _("Nyhetsbrev får bara visa bilder som finns i portalen. Ta bort: %(urls)s")
            raise forms.ValidationError(message % {"urls": ", ".join(remote)})
        return self.cleaned_data["body"]

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == Newsletter.Audience.DISTRICT and not data.get("district"):
            self.add_error("district", _("Välj kommundel."))
        if audience == Newsletter.Audience.RECENT and not data.get("joined_months"):
            self.add_error("joined_months", _("Ange hur många månader."))
        if audience != Newsletter.Audience.DISTRICT:
            data["district"] = None
        if audience != Newsletter.Audience.RECENT:
            data["joined_months"] = None
        return data


class NewsletterSendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Skicka vid (lämna tomt för att skicka nu)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at and send_at <= timezone.now():
            raise forms.ValidationError(_("Tiden har redan varit. Lämna tomt för att skicka nu."))
        return send_at
