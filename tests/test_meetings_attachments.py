"""Attachments on the minutes: type judged by content, stored outside the web root, served as
a download only to those who may read the minutes, earlier versions kept."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krets.attachments import sniff
from krets.errors import Invalid
from meetings.models import MinutesAttachment
from members.models import BoardFunction
from tests.fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, meeting, name: str, data: bytes):
    return client.post(
        reverse("meetings:attachment_upload", kwargs={"pk": meeting.pk}),
        {"fil": SimpleUploadedFile(name, data, content_type="application/pdf")},
        follow=True,
    )


def test_an_attachment_is_served_to_a_board_member_and_refused_to_an_outsider(
    client, client_as, person, private_media
):
    meeting = MeetingFactory()
    secretary = client_as(BoardFunction.SECRETARY)
    upload(secretary, meeting, "Budget 2027.pdf", PDF)
    [attachment] = MinutesAttachment.objects.filter(meeting=meeting)
    assert attachment.name == "Budget 2027.pdf"
    stored = private_media / attachment.file.name
    assert stored.read_bytes() == PDF  # outside the web root, under PRIVATE_MEDIA_ROOT
    url = reverse(
        "meetings:attachment_download", kwargs={"pk": meeting.pk, "attachment_pk": attachment.pk}
    )

    client.logout()
    client.force_login(person(BoardFunction.BOARD_MEMBER))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"

    client.logout()
    client.force_login(person("medlem"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_a_file_renamed_to_pdf_that_is_not_a_pdf_is_refused(client_as):
    meeting = MeetingFactory()
    client = client_as(BoardFunction.SECRETARY)

    response = upload(client, meeting, "protokoll.pdf", b"MZ\x90\x00 this is an exe")

    assert not MinutesAttachment.objects.exists()
    assert "Filen är inte en PDF, DOCX, ODT, PNG eller JPEG" in response.content.decode()


def test_a_new_upload_under_the_same_name_keeps_the_earlier_version(client_as):
    meeting = MeetingFactory()
    client = client_as(BoardFunction.SECRETARY)
    upload(client, meeting, "Bilaga.pdf", PDF)
    upload(client, meeting, "Bilaga.pdf", PDF + b"% v2\n")

    versions = list(meeting.attachments.values_list("name", "version", "size"))
    assert versions == [("Bilaga.pdf", 2, len(PDF) + 5), ("Bilaga.pdf", 1, len(PDF))]


@pytest.mark.parametrize(
    "data, extension",
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
        (
            zipped(
                {
                    "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'wordprocessingml.document.main+xml"/></Types>',
                    "word/document.xml": b"<w:document/>",
                }
            ),
            "docx",
        ),
        (
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
            ),
            "odt",
        ),
    ],
)
def test_types_are_known_by_content(data, extension):
    assert sniff(SimpleUploadedFile("whatever.bin", data)).extension == extension


@pytest.mark.parametrize(
    "data",
    [
        zipped({"hello.txt": b"a zip, not a document"}),
        zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        b"<html><script>alert(1)</script></html>",
        b"",
    ],
)
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(Invalid):
        sniff(SimpleUploadedFile("dokument.docx", data))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(Invalid, match="för stor"):
        sniff(SimpleUploadedFile("a.pdf", PDF))


def test_a_theme_group_document_attachment_is_for_those_who_read_the_document(client, person):
    from tests.fixtures.goals import ThemeDocumentFactory

    document = ThemeDocumentFactory()
    client.force_login(person(BoardFunction.CAMPAIGN))
    client.post(
        reverse("goals:document_attachment_upload", kwargs={"pk": document.pk}),
        {"fil": SimpleUploadedFile("Skiss.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)},
    )
    [attachment] = document.attachments.all()
    url = reverse(
        "goals:document_attachment_download",
        kwargs={"pk": document.pk, "attachment_pk": attachment.pk},
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Skiss.png"'

    client.logout()
    client.force_login(person("medlem"))
    assert client.get(url).status_code == 403
