"""The welcome mail goes through a real Celery worker to a real SMTP server."""

import pytest

from members import services


@pytest.mark.integration
def test_welcome_mail_reaches_the_smtp_server(celery_worker_process, smtp_server):
    member = services.member_create(
        actor=None,
        data={"first_name": "Märta", "last_name": "Strand", "email": "marta@example.org"},
    )
    (message,) = smtp_server.wait_for(1)
    assert smtp_server.recipients == ["marta@example.org"]
    assert message["Subject"] == "Välkommen till Centerpartiet i Sandviken!"
    text = message.get_body(("plain",)).get_content()
    assert "Hej Märta!" in text and str(member.member_number) in text
    assert message.get_body(("html",)) is not None
