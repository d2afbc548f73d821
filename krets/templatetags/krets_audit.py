"""The audit log's codes in words, for pages that show a member's history."""

from django import template

from krets.audit_sentences import field_label

register = template.Library()


@register.filter
def field_labels(names) -> str:
    """["phone", "email"] -> "telefon, e-post"."""
    return ", ".join(field_label(name) for name in names or [])
