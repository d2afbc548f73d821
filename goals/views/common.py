"""What the goals screens share: the year shown and the plan's edit form."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.params import year_param

from .. import selectors, services


def year_shown(request, years: list[int] | None = None) -> int:
    return year_param(request, lambda: selectors.default_year(years=years))


def edit_page(request, form, *, title: str, back: str, delete: str = ""):
    if request.method == "POST" and form.is_valid():
        services.plan_form_save(actor=request.user, form=form, ip=client_ip(request))
        messages.success(request, _("Sparat."))
        return redirect(back)
    context = {"form": form, "title": title, "back": back, "delete": delete}
    return render(request, "goals/form.html", context)
