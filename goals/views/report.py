"""The annual report (verksamhetsberättelse), as a page and as A4 PDF."""

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.rights import Perm, requires

from .. import selectors, services
from ..forms import (
    AnnualReportForm,
)


def _report_context(year: int, rights=None) -> dict:
    """With `rights` (the page, not the PDF) each figure links to the records behind it."""
    return {
        "year": year,
        "report": services.annual_report_for(year=year),
        "figures": selectors.annual_figures(year, rights=rights),
        "links": rights is not None,
    }


@requires(Perm.GOALS_VIEW)
def report_latest(request):
    return redirect("goals:report", year=selectors.default_year())


@requires(Perm.GOALS_VIEW)
def report(request, year: int):
    return render(request, "goals/report.html", _report_context(year, request.rights))


@requires(Perm.GOALS_CHANGE)
def report_edit(request, year: int):
    report = services.annual_report_for(year=year)
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        services.annual_report_save(actor=request.user, form=form, ip=client_ip(request))
        messages.success(request, _("Texten är sparad."))
        return redirect("goals:report", year=year)
    back = reverse("goals:report", args=[year])
    title = _("Verksamhetsberättelse %(year)s") % {"year": year}
    return render(request, "goals/form.html", {"form": form, "title": title, "back": back})


@requires(Perm.GOALS_VIEW)
def report_pdf(request, year: int):
    """The same page as A4 PDF, rendered by WeasyPrint with the print stylesheet."""
    from weasyprint import HTML  # imported here: it loads pango, which the rest never needs

    with open(finders.find("goals/report-print.css"), encoding="utf-8") as css:
        html = render_to_string(
            "goals/report_pdf.html",
            {**_report_context(year), "stylesheet": css.read()},
            request=request,
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verksamhetsberattelse-{year}.pdf"'
    return response
