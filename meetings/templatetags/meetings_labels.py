"""Swedish words for the codes the decision rule works with (never show "utslagsrost")."""

from django import template

from meetings.decision_rule import Reason
from meetings.services import REASON_TEXT

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    try:
        return str(REASON_TEXT[Reason(reason)])
    except ValueError:
        return ""
