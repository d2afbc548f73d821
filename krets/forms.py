"""Form fields shared by the apps."""

from django import forms


class HttpsURLField(forms.URLField):
    """A link where `example.org/x` means https://example.org/x (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
