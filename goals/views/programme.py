"""The election programme and what carries each point out."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.rights import Perm, requires

from .. import services
from ..forms import (
    ProgrammeLinkForm,
    ProgrammePointForm,
)
from ..models import (
    ProgrammeLink,
    ProgrammePoint,
)
from .common import edit_page


@requires(Perm.PROGRAMME_VIEW)
def programme(request):
    points = ProgrammePoint.objects.prefetch_related("links__document")
    return render(request, "goals/programme.html", {"points": points})


@requires(Perm.GOALS_CHANGE)
def point_create(request):
    form = ProgrammePointForm(request.POST or None)
    return edit_page(request, form, title=_("Ny punkt"), back=reverse("goals:programme"))


@requires(Perm.GOALS_CHANGE)
def point_edit(request, pk: int):
    point = get_object_or_404(ProgrammePoint, pk=pk)
    form = ProgrammePointForm(request.POST or None, instance=point)
    link_form = ProgrammeLinkForm(request.POST or None, prefix="lank")
    if request.method == "POST" and "lank-kind" in request.POST:
        if link_form.is_valid():
            services.programme_link_add(
                actor=request.user, point=point, form=link_form, ip=client_ip(request)
            )
            messages.success(request, _("Länken är tillagd."))
            return redirect("goals:point_edit", pk=pk)
        form = ProgrammePointForm(instance=point)
    elif request.method == "POST" and form.is_valid():
        services.plan_form_save(actor=request.user, form=form, ip=client_ip(request))
        messages.success(request, _("Sparat."))
        return redirect("goals:programme")
    else:
        link_form = ProgrammeLinkForm(prefix="lank")
    return render(
        request,
        "goals/point_edit.html",
        {"point": point, "form": form, "link_form": link_form, "links": point.links.all()},
    )


@require_POST
@requires(Perm.GOALS_CHANGE)
def point_link_delete(request, pk: int):
    link = get_object_or_404(ProgrammeLink, pk=pk)
    services.programme_link_delete(actor=request.user, link=link, ip=client_ip(request))
    messages.success(request, _("Länken är borttagen."))
    return redirect("goals:point_edit", pk=link.point_id)
