"""The document flow's mails reach a real SMTP server, in-process and from a real worker."""

import pytest

from goals import services
from goals.models import DocumentEvent
from tests.conftest import make_person

from .fixtures.goals import ThemeDocumentFactory


@pytest.fixture
def officer():
    user = make_person("kommunikationsansvarig")
    user.member.email = "kommunikation@example.org"
    user.member.save()
    return user


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("tasks_in_process")
def test_submitted_document_mail_reaches_the_smtp_server(smtp_server, officer):
    document = ThemeDocumentFactory(title="Byskolan", group__topic="Skolan")

    services.document_submit(document=document, actor=officer)

    (message,) = smtp_server.wait_for(1)
    assert smtp_server.recipients == ["kommunikation@example.org"]
    assert message["Subject"] == "Inlämnat från temagruppen Skolan: Byskolan"
    assert {part.get_content_type() for part in message.iter_parts()} == {
        "text/plain",
        "text/html",
    }
    assert DocumentEvent.objects.get().mailed_at is not None


@pytest.mark.integration
def test_returned_document_mail_goes_out_once_through_a_real_worker(
    celery_worker_process, smtp_server, officer
):
    document = ThemeDocumentFactory(status="inlamnad", group__leader__email="ledare@example.org")

    services.document_return(document=document, actor=officer, comment="Kortare, tack.")

    (message,) = smtp_server.wait_for(1)
    assert smtp_server.recipients == ["ledare@example.org"]
    assert "Kortare, tack." in message.get_body(("plain",)).get_content()
    # Run again by hand: the step is claimed, so nothing more goes out.
    event = DocumentEvent.objects.get()
    assert services.document_event_mail(event_id=event.pk) is False
    assert len(smtp_server.envelopes) == 1
