"""Attachments: what a file is, judged by its content (never its name), and where it lives.

Allowed: PDF, DOCX, ODT, PNG and JPEG. DOCX and ODT are zip files; what makes them a document
is a `[Content_Types].xml` naming the WordprocessingML main part (ECMA-376 Part 2), or a first
entry `mimetype` saying `application/vnd.oasis.opendocument.text` (ODF 1.2 Part 3, 3.3).
Files are stored under PRIVATE_MEDIA_ROOT, which the web server does not serve."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .errors import Invalid

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF_TYPE = FileType("pdf", "application/pdf")
PNG_TYPE = FileType("png", "image/png")
JPEG_TYPE = FileType("jpg", "image/jpeg")
DOCX_TYPE = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
ODT_TYPE = FileType("odt", ODT)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside the web root; the location is read when used, so tests may move it."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)


private_storage = PrivateStorage()


def _zip_type(upload) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                if DOCX_MAIN in types:
                    return DOCX_TYPE
            if names and names[0] == "mimetype":
                if archive.read("mimetype")[:100].decode("ascii", "replace").strip() == ODT:
                    return ODT_TYPE
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def sniff(upload) -> FileType:
    """The file's type from its first bytes (and, for a zip, its entries); Invalid if it is
    none of the allowed kinds or too large."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise Invalid(
            _("Filen är för stor (högst %(mb)s MB).")
            % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = None
    if head.startswith(b"%PDF-"):
        found = PDF_TYPE
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG_TYPE
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG_TYPE
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
        upload.seek(0)
    if found is None:
        raise Invalid(_("Filen är inte en PDF, DOCX, ODT, PNG eller JPEG (vi läser innehållet)."))
    return found


def serve(file_field, *, filename: str, content_type: str):
    """The file as a download: never shown inline, never sniffed by the browser."""
    from django.http import FileResponse

    response = FileResponse(
        file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_add_version(model, *, owner_field: str, owner, upload, uploaded_by):
    """Save an upload as the next version of `model` under `owner`, its type judged by content.

    The same name again is the next version (earlier ones kept). The caller runs this in a
    transaction holding a lock on the owner's row, so two uploads never get the same number.
    """
    found = sniff(upload)
    # Django has already cut any path from the name; the extension follows the content.
    stem = (upload.name or "").rsplit(".", 1)[0].strip()[:180] or "bilaga"
    name = f"{stem}.{found.extension}"
    latest = (
        model.objects.filter(**{owner_field: owner, "name": name})
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    attachment = model(
        **{owner_field: owner},
        name=name,
        version=(latest or 0) + 1,
        content_type=found.content_type,
        size=upload.size,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
