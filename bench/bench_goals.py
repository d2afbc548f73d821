"""Goals: the dashboard, the annual report's figures and its PDF over a large membership.

Members (100 000 at scale 1.0) with spread join, leave and birth dates, and 2 000 log entries
at scale 1.0, on the 2023 demo plan. The benchmark's rows are removed afterwards.
"""

import datetime
import random
import time

BENCH_DOMAIN = "bench-goals.example.org"


def _timed(label: str, function, repeat: int = 3) -> None:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    print(f"BENCH goals {label}_ms={best * 1000:.1f}")


def run(scale: float) -> None:
    from django.core.management import call_command
    from django.template.loader import render_to_string

    from goals import demo, selectors
    from goals.models import Activity, LogEntry
    from members.models import Member

    call_command("load_demo", verbosity=0)
    rng = random.Random(2023)
    members = max(int(100_000 * scale), 100)
    rows = []
    for n in range(members):
        joined = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 25))
        left = joined + datetime.timedelta(days=rng.randrange(3000)) if n % 7 == 0 else None
        rows.append(
            Member(
                first_name="Bench",
                last_name=f"Medlem{n}",
                email=f"m{n}@{BENCH_DOMAIN}",
                birth_date=datetime.date(1930 + rng.randrange(75), 1 + n % 12, 1 + n % 28),
                joined_on=joined,
                left_on=left,
            )
        )
    started = time.perf_counter()
    Member.objects.bulk_create(rows, batch_size=5000)
    print(f"BENCH goals members={members}")
    print(f"BENCH goals insert_s={time.perf_counter() - started:.1f}")
    activities = list(Activity.objects.filter(year=demo.YEAR))
    entries = [
        LogEntry(
            activity=rng.choice(activities),
            happened_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
            what=f"bench {n}",
            who="Bench",
        )
        for n in range(max(int(2000 * scale), 10))
    ]
    LogEntry.objects.bulk_create(entries)
    try:
        _timed("member_year", lambda: selectors.member_year(2023))
        _timed("dashboard", lambda: selectors.year_progress(2023))
        _timed("annual_figures", lambda: selectors.annual_figures(2023))

        def pdf():
            from weasyprint import HTML

            context = {"year": 2023, "figures": selectors.annual_figures(2023), "report": None}
            HTML(string=render_to_string("goals/report_pdf.html", context)).write_pdf()

        _timed("report_pdf", pdf, repeat=2)
    finally:
        LogEntry.objects.filter(what__startswith="bench ").delete()
        Member.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()
