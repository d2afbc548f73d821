"""Demo newsletters: two in the members' archive and this month's draft."""

import datetime

from django.utils import timezone

from members.demo import demo_email
from members.models import BoardFunction, Member, User

from .models import Newsletter

SENT = [
    (
        "Nyhetsbrev: välkommen till ett nytt verksamhetsår",
        "Kretsstyrelsen har antagit **verksamhetsplanen** för året.\n\n"
        "- Politikerskola under hösten\n- Nyhetsbrev varje månad\n- Live-paneler på Facebook",
        2,
    ),
    (
        "Nyhetsbrev: vad händer i kommunen",
        "Våra ledamöter i *Kunskapsnämnden* och *Individ- och familjeomsorgsnämnden* berättar "
        "om höstens arbete.\n\nVälkommen på medlemsmöte i Storvik!",
        1,
    ),
]
DRAFT = (
    "Månadens nyhetsbrev",
    "Hej alla medlemmar!\n\nHär är månadens nyheter från kretsen.\n\n"
    "## Kommande möten\n\n- Medlemsmöte i Sandviken\n- Studiecirkel i Järbo\n\n"
    "Läs mer på [centerpartiet.se](https://www.centerpartiet.se/).",
)


def _months_ago(months: int) -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(day=5, hour=18, minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=31 * months
    )


def load(stdout=None) -> None:
    author = User.objects.filter(email=demo_email(BoardFunction.COMMUNICATION)).first()
    # The demo's members said yes to newsletters, so that there is someone to send to.
    consenting = Member.objects.filter(email__endswith="@example.org", left_on__isnull=True)
    consenting.filter(newsletter_consent=False).update(
        newsletter_consent=True, newsletter_consent_on=datetime.date(2023, 1, 1)
    )
    for subject, body, months in SENT:
        sent_at = _months_ago(months)
        Newsletter.objects.update_or_create(
            subject=subject,
            defaults={
                "body": body,
                "state": Newsletter.State.SENT,
                "started_at": sent_at,
                "sent_at": sent_at,
                "created_by": author,
            },
        )
    Newsletter.objects.get_or_create(
        subject=DRAFT[0],
        state=Newsletter.State.DRAFT,
        defaults={"body": DRAFT[1], "created_by": author},
    )
    if stdout:
        stdout.write("Newsletters: two in the archive and this month's draft.")
