"""Theme groups and the flow of their documents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError
from krets.rights import Perm, login_only, requires

from .. import selectors, services
from ..forms import (
    PublishForm,
    ReturnForm,
    ThemeDocumentForm,
    ThemeGroupForm,
)
from ..models import (
    ThemeGroup,
)
from .common import edit_page


@login_only
def groups(request):
    group_list = selectors.theme_groups_for(rights=request.rights)
    if not group_list and not request.rights.has(Perm.GOALS_VIEW):
        raise PermissionDenied
    submitted = list(selectors.submitted_documents()) if request.rights.has(Perm.PUBLISH) else []
    return render(request, "goals/groups.html", {"groups": group_list, "submitted": submitted})


@requires(Perm.GOALS_CHANGE)
def group_create(request):
    form = ThemeGroupForm(request.POST or None)
    return edit_page(request, form, title=_("Ny temagrupp"), back=reverse("goals:groups"))


@requires(Perm.GOALS_CHANGE)
def group_edit(request, pk: int):
    group = get_object_or_404(ThemeGroup, pk=pk)
    form = ThemeGroupForm(request.POST or None, instance=group)
    back = reverse("goals:group_detail", args=[pk])
    return edit_page(request, form, title=group.topic, back=back)


@login_only
def group_detail(request, pk: int):
    group = selectors.get_group_for_user(request, pk)
    return render(
        request,
        "goals/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("district"),
            "documents": group.documents.all(),
        },
    )


@login_only
def document_create(request, group_pk: int):
    group = selectors.get_group_for_user(request, group_pk)
    form = ThemeDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.document_create(
            actor=request.user, group=group, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Utkastet är sparat."))
        return redirect("goals:document_detail", pk=document.pk)
    back = reverse("goals:group_detail", args=[group.pk])
    return render(
        request, "goals/form.html", {"form": form, "title": _("Nytt dokument"), "back": back}
    )


@login_only
def document_detail(request, pk: int):
    document = selectors.get_document_for_user(request, pk)
    form = ThemeDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user, document=document, ip=client_ip(request), **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sparat."))
        return redirect("goals:document_detail", pk=pk)
    return render(
        request,
        "goals/document_detail.html",
        {
            "document": document,
            "form": form if document.is_editable else None,
            "events": document.events.select_related("by"),
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
            "return_form": ReturnForm(),
            "can_publish": request.rights.has(Perm.PUBLISH),
        },
    )


def _flow(request, pk: int, step, form=None):
    document = selectors.get_document_for_user(request, pk)
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("goals:document_detail", pk=pk)
    try:
        step(
            actor=request.user,
            document=document,
            ip=client_ip(request),
            **(form.cleaned_data if form else {}),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Klart. Ett mejl är på väg."))
    return redirect("goals:document_detail", pk=pk)


@require_POST
@login_only
def document_submit(request, pk: int):
    return _flow(request, pk, services.document_submit)


@require_POST
@requires(Perm.PUBLISH)
def document_publish(request, pk: int):
    return _flow(request, pk, services.document_publish, PublishForm(request.POST))


@require_POST
@requires(Perm.PUBLISH)
def document_return(request, pk: int):
    return _flow(request, pk, services.document_return, ReturnForm(request.POST))
