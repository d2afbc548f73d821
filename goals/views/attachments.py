"""Attachments on theme-group documents: uploaded by those who work with the group, served as
a download only to those who may read the document."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.attachments import serve
from krets.audit import client_ip
from krets.errors import Invalid
from krets.rights import login_only

from .. import selectors, services
from ..models import DocumentAttachment


@login_only
@require_POST
def attachment_upload(request, pk: int):
    document = selectors.get_document_for_user(request, pk)
    upload = request.FILES.get("fil")
    if upload is None:
        messages.error(request, _("Välj en fil."))
        return redirect("goals:document_detail", pk=pk)
    try:
        attachment = services.document_attachment_add(
            actor=request.user, document=document, upload=upload, ip=client_ip(request)
        )
    except Invalid as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s är bifogad.") % {"name": attachment.name})
    return redirect("goals:document_detail", pk=pk)


@login_only
def attachment_download(request, pk: int, attachment_pk: int):
    document = selectors.get_document_for_user(request, pk)
    attachment = get_object_or_404(DocumentAttachment, pk=attachment_pk, document=document)
    return serve(attachment.file, filename=attachment.name, content_type=attachment.content_type)
