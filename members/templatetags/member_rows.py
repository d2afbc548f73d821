"""The member list's rows, built in Python: the page's 50 rows through the template engine
were a fifth of the member list's time (issue 14, the load benchmark). The markup is the one the
template had (members/templates/members/list.html)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from krets.templatetags.krets_format import phone, sv_date

register = template.Library()

ROW = (
    '\n    <tr>\n      <td><a href="{}">{}, {}</a>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
    '      <td>{}</td>\n      <td class="text-nowrap">{}</td>\n      <td>{}</td>\n    </tr>'
)
PLACEHOLDER = 2_147_483_647  # reversed once, then replaced by each member's id


@register.simple_tag
def member_rows(page) -> str:
    members = list(page)
    if not members:
        return format_html('\n    <tr><td colspan="6">{}</td></tr>', _("Ingen medlem matchar."))
    url = reverse("members:detail", args=[PLACEHOLDER])
    left = format_html(' <span class="badge text-bg-secondary">{}</span>', _("utträdd"))
    return format_html_join(
        "",
        ROW,
        (
            (
                url.replace(str(PLACEHOLDER), str(m.pk)),
                m.last_name,
                m.first_name,
                left if m.left_on else "",
                m.member_number or "",
                m.district.name if m.district_id else "",
                m.email,
                phone(m.phone),
                sv_date(m.joined_on),
            )
            for m in members
        ),
    ) + mark_safe("\n  ")


# The search form's nine widgets render through Django's widget templates (a select renders a
# template per option): as long again as the rows. What a widget's HTML depends on, beside the
# form's fields (fixed for the life of the process), is the key; the HTML is kept per process.
_widgets: dict[tuple, str] = {}


@register.filter
def filter_widget(field) -> str:
    choices = getattr(field.field, "choices", None)
    key = (
        type(field.form).__qualname__,
        field.html_name,
        field.auto_id,
        repr(field.value()),
        tuple(str(error) for error in field.errors),
        tuple((str(value), str(label)) for value, label in choices) if choices else (),
        get_language(),
    )
    html = _widgets.get(key)
    if html is None:
        if len(_widgets) >= 2048:
            _widgets.clear()
        html = _widgets[key] = field.as_widget()
    return mark_safe(html)  # noqa: S308 (Django's own widget HTML)
