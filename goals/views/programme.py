"""The election programme and what carries each point out."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import Invalid
from krets.params import int_param
from krets.rights import Perm, requires

from .. import selectors, services
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
    points = list(ProgrammePoint.objects.prefetch_related("links"))
    for point in points:
        point.link_list = list(point.links.all())
    selectors.programme_links_resolve(
        [link for point in points for link in point.link_list], request.rights
    )
    # The theme groups' tab only for those who may open it (the board, a group's leader).
    groups_tab = request.rights.has(Perm.GOALS_VIEW) or bool(
        selectors.theme_groups_for(rights=request.rights)
    )
    return render(
        request, "goals/programme.html", {"points": points, "hide_groups": not groups_tab}
    )


@requires(Perm.GOALS_CHANGE)
def point_create(request):
    form = ProgrammePointForm(request.POST or None)
    return edit_page(request, form, title=_("Ny punkt"), back=reverse("goals:programme"))


@requires(Perm.GOALS_CHANGE)
def point_edit(request, pk: int):
    point = get_object_or_404(ProgrammePoint, pk=pk)
    form = ProgrammePointForm(request.POST or None, instance=point)
    link_form = ProgrammeLinkForm(request.POST or None, prefix="lank")
    if request.method == "POST" and "kalla" in request.POST:
        # A decision or matter chosen from the list below the form.
        target_id = int_param(
            request, "post", None, min_value=1, max_value=2**31 - 1, source=request.POST
        )
        try:
            services.programme_link_pick(
                actor=request.user,
                rights=request.rights,
                point=point,
                source=request.POST["kalla"],
                target_id=target_id or 0,
                ip=client_ip(request),
            )
        except Invalid as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Länken är tillagd."))
        return redirect("goals:point_edit", pk=pk)
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
    links = list(point.links.all())
    selectors.programme_links_resolve(links, request.rights)
    words = request.GET.get("sok", "").strip()[:100]
    return render(
        request,
        "goals/point_edit.html",
        {
            "point": point,
            "form": form,
            "link_form": link_form,
            "links": links,
            "words": words,
            "choices": selectors.programme_choices(request.rights, words),
        },
    )


@require_POST
@requires(Perm.GOALS_CHANGE)
def point_link_delete(request, pk: int):
    link = get_object_or_404(ProgrammeLink, pk=pk)
    services.programme_link_delete(actor=request.user, link=link, ip=client_ip(request))
    messages.success(request, _("Länken är borttagen."))
    return redirect("goals:point_edit", pk=link.point_id)
