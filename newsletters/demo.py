"""Demo newsletters: two in the members' archive and this month's draft."""

import datetime

from django.utils import timezone

from krets.demo import demo_today, demo_year
from members.demo import demo_email, demo_members
from members.models import BoardFunction, User

from .models import Newsletter

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
MONTHS = MONTHS.split()
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


def _sent_this_year() -> list[datetime.datetime]:
    """When this year's newsletters went out: the 5th of each month at 18, so far this year; on
    the first days of January, early this morning."""
    now = timezone.localtime()
    year = demo_year()
    times = [
        timezone.make_aware(datetime.datetime(year, month, 5, 18))
        for month in range(1, now.month + 1)
    ]
    times = [sent for sent in times if sent < now]
    return times or [timezone.make_aware(datetime.datetime.combine(demo_today(), datetime.time()))]


def adopt() -> None:
    """A database with only the demo's members is the demo's (see goals.demo.adopt)."""
    Newsletter.objects.filter(demo=False).update(demo=True)


def load(stdout=None) -> None:
    author = User.objects.filter(email=demo_email(BoardFunction.COMMUNICATION)).first()
    # The demo's members said yes to newsletters, so that there is someone to send to.
    consenting = demo_members().filter(left_on__isnull=True)
    consenting.filter(newsletter_consent=False).update(
        newsletter_consent=True, newsletter_consent_on=datetime.date(2023, 1, 1)
    )
    # This year's, one a month as the plan asks (the first two texts, then the monthly one).
    times = _sent_this_year()
    sent = [(subject, body) for subject, body, _ in SENT]
    sent += [
        (f"Nyhetsbrev {MONTHS[sent_at.month - 1]} {sent_at.year}", DRAFT[1])
        for sent_at in times[len(SENT) :]
    ]
    for (subject, body), sent_at in zip(sent, times, strict=False):
        Newsletter.objects.update_or_create(
            subject=subject,
            demo=True,
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
        demo=True,
        defaults={"body": DRAFT[1], "created_by": author},
    )
    if stdout:
        stdout.write(f"newsletters: {len(times)} sent this year and this month's draft.")
