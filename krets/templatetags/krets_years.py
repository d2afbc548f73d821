"""One year switch for every page that shows a year: `{% year_switch year %}`.

The page reads the year with `krets.params.year_param` (`?ar=`); the switch keeps the page's other
filters and drops its page number. A page with the year in its path passes `url_name`, and the
switch then links to the years before and after. `years` limits the choice to years that have
something (the goals' plans); without it, five years back and one ahead are offered."""

from django import template
from django.urls import reverse
from django.utils import timezone

from krets.params import MAX_YEAR, MIN_YEAR

register = template.Library()

# Query parameters a year switch does not carry over: the page number belongs to the old year.
# Where a list stood (a page number, a keyset cursor: a member of the year left) means
# nothing in another year.
DROPPED = {"sida", "efter", "fore"}


@register.inclusion_tag("_year_switch.html", takes_context=True)
def year_switch(context, year: int, years=None, url_name: str = "", param: str = "ar") -> dict:
    request = context["request"]
    this_year = timezone.localdate().year
    if years:
        choices = sorted({*years, year}, reverse=True)
    else:
        choices = list(range(max(year, this_year) + 1, min(year, this_year) - 6, -1))
    choices = [y for y in choices if MIN_YEAR <= y <= MAX_YEAR]
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        if key != param and key not in DROPPED
        for value in values
    ]

    def href(to_year: int) -> str:
        if url_name:
            return reverse(url_name, args=[to_year])
        query = request.GET.copy()
        for key in DROPPED:
            query.pop(key, None)
        query[param] = str(to_year)
        return f"?{query.urlencode()}"

    earlier = [y for y in choices if y < year]
    later = [y for y in choices if y > year]
    return {
        "year": year,
        "param": param,
        "choices": choices,
        "kept": kept,
        "with_form": not url_name and len(choices) > 1,
        "before": {"year": earlier[0], "href": href(earlier[0])} if earlier else None,
        "after": {"year": later[-1], "href": href(later[-1])} if later else None,
    }
