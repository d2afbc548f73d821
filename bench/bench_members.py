"""Members and dues at scale: the member list, the kassör's CSV, reminder selection.

Each figure is printed beside the same work done by the Django admin's changelist on the same
data, as a ratio (ours / admin; below 1 means we are faster). Data: BENCH_SCALE × 100 000
members, each with a 2023 invoice; 70 % paid, 10 % part paid. Members created here have
emails at bench.example.org and are reused when the count already matches.
"""

import datetime
import random
import statistics
import time
import tracemalloc
from decimal import Decimal

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

BENCH_DOMAIN = "bench.example.org"
YEAR = 2023
REPEAT = 7


def emit(metric: str, value: float) -> None:
    print(f"BENCH members {metric}={value:.4g}", flush=True)


def build(n: int) -> None:
    from dues.models import DuesInvoice, Fee, Payment
    from dues.ocr import dues_ocr
    from members.models import BoardAssignment, District, Member

    bench = Member.objects.filter(email__endswith=BENCH_DOMAIN)
    if bench.count() == n:
        return
    print(f"# building {n} members", flush=True)
    Payment.objects.filter(invoice__member__email__endswith=BENCH_DOMAIN).delete()
    DuesInvoice.objects.filter(member__email__endswith=BENCH_DOMAIN).delete()
    BoardAssignment.objects.filter(member__email__endswith=BENCH_DOMAIN).delete()
    bench.delete()
    districts = [District.objects.get_or_create(name=f"Bänk {i}")[0] for i in range(8)]
    fee, _ = Fee.objects.get_or_create(
        year=YEAR,
        name="Bänk",
        defaults={"amount": Decimal("250.00"), "due_on": datetime.date(YEAR, 3, 31)},
    )
    rng = random.Random(1)
    first = ["Anna", "Erik", "Karin", "Lars", "Maria", "Nils", "Siv", "Åke", "Örjan", "Ebba"]
    last = ["Lind", "Berg", "Holm", "Ek", "Sjöberg", "Nordin", "Dahl", "Ström", "Wik", "Öberg"]
    base = 5_000_000
    for start in range(0, n, 5000):
        members = [
            Member(
                first_name=rng.choice(first),
                last_name=f"{rng.choice(last)}{i % 997}",
                email=f"m{i}@{BENCH_DOMAIN}",
                phone=f"+46702{i:06d}",
                birth_date=datetime.date(rng.randrange(1930, 2005), rng.randrange(1, 13), 1),
                address=f"Bänkgatan {i % 200}",
                postcode="811 30",
                town="Sandviken",
                district=districts[i % 8],
                joined_on=datetime.date(rng.randrange(1980, 2023), 1, 1),
                member_number=base + i,
            )
            for i in range(start, min(n, start + 5000))
        ]
        Member.objects.bulk_create(members)
        invoices = DuesInvoice.objects.bulk_create(
            [
                DuesInvoice(
                    member=m,
                    year=YEAR,
                    fee=fee,
                    amount=fee.amount,
                    due_on=fee.due_on,
                    ocr=dues_ocr(year=YEAR, member_number=m.member_number),
                    sent_at=timezone.now(),
                )
                for m in members
            ]
        )
        payments = []
        for invoice in invoices:
            roll = rng.random()
            if roll < 0.8:
                amount = invoice.amount if roll < 0.7 else Decimal("100.00")
                payments.append(
                    Payment(
                        invoice=invoice,
                        amount=amount,
                        paid_on=datetime.date(YEAR, 2, 1),
                        method="swish",
                    )
                )
        Payment.objects.bulk_create(payments)
        # What the booking services keep per invoice (dues.selectors reads it).
        paid = {p.invoice_id: p.amount for p in payments}
        for invoice in invoices:
            invoice.paid_amount = paid.get(invoice.pk, Decimal("0.00"))
        DuesInvoice.objects.bulk_update(invoices, ["paid_amount"], batch_size=2000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def people():
    from members.models import BoardAssignment, BoardFunction, Member, User

    user, _ = User.objects.get_or_create(email="medlemsansvarig@bench-login.example.org")
    admin_user, _ = User.objects.get_or_create(
        email="admin@bench-login.example.org", defaults={"is_staff": True, "is_superuser": True}
    )
    member, _ = Member.objects.get_or_create(
        user=user, defaults={"first_name": "Bänk", "last_name": "Ansvarig", "email": user.email}
    )
    for function in (BoardFunction.MEMBERSHIP, BoardFunction.TREASURER):
        BoardAssignment.objects.get_or_create(
            member=member, function=function, year=datetime.date.today().year
        )
    return user, admin_user


def timed(client: Client, url: str) -> tuple[float, int, int]:
    """(median ms, SQL queries, status) over REPEAT requests after one warm-up."""
    client.get(url)
    times = []
    for _ in range(REPEAT):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    skip = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
    sql = [q for q in queries.captured_queries if not q["sql"].startswith(skip)]
    return statistics.median(times), len(sql), response.status_code


def run(scale: float) -> None:
    import django  # noqa: F401

    n = max(1000, int(100_000 * scale))
    build(n)
    user, admin_user = people()
    from members.models import District

    district = District.objects.get(name="Bänk 3")
    deep = n // 50 // 2
    with override_settings(KRETS_REQUIRE_MFA=False, ALLOWED_HOSTS=["*"], DEBUG=False):
        ours, admin = Client(), Client()
        ours.force_login(user)
        admin.force_login(admin_user)
        cases = {
            "first_page": ("/medlemmar/?status=alla", "/admin/members/member/"),
            "deep_page": (
                f"/medlemmar/?status=alla&sida={deep}",
                f"/admin/members/member/?p={deep}",
            ),
            "search": ("/medlemmar/?status=alla&q=Lind12", "/admin/members/member/?q=Lind12"),
            "filter": (
                f"/medlemmar/?status=alla&kommundel={district.pk}",
                f"/admin/members/member/?district__id__exact={district.pk}",
            ),
            "filter_unpaid": (
                f"/medlemmar/?status=alla&kommundel={district.pk}&avgift=obetald&avgiftsar={YEAR}",
                f"/admin/dues/duesinvoice/?year__exact={YEAR}&member__district={district.pk}",
            ),
            "page_size_200": ("/medlemmar/?status=alla&per=200", "/admin/members/member/?all="),
        }
        emit("members", n)
        for name, (our_url, admin_url) in cases.items():
            our_ms, our_sql, status = timed(ours, our_url)
            admin_ms, admin_sql, admin_status = timed(admin, admin_url)
            assert status == 200 and admin_status == 200, (name, status, admin_status)
            emit(f"list_{name}_ms", our_ms)
            emit(f"list_{name}_queries", our_sql)
            emit(f"admin_{name}_ms", admin_ms)
            emit(f"admin_{name}_queries", admin_sql)
            emit(f"list_{name}_ratio", our_ms / admin_ms)

        # The kassör's CSV of every invoice, streamed; Python heap growth while consuming it.
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        response = ours.get(f"/avgifter/export.csv?ar={YEAR}&status=alla&format=excel")
        rows = -1
        for chunk in response.streaming_content:
            rows += chunk.count(b"\r\n")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - baseline
        tracemalloc.stop()
        emit("csv_rows", rows)
        emit("csv_rows_per_s", rows / elapsed)
        emit("csv_peak_mb", peak / 1024 / 1024)
        # The admin's changelist paging through the same invoices, 100 rows a page.
        pages = 5
        started = time.perf_counter()
        for page in range(pages):
            admin.get(f"/admin/dues/duesinvoice/?year__exact={YEAR}&p={page}")
        admin_rows_per_s = pages * 100 / (time.perf_counter() - started)
        emit("admin_changelist_rows_per_s", admin_rows_per_s)
        emit("csv_rows_per_s_ratio", rows / elapsed / admin_rows_per_s)

    # Reminder selection: one query over every unpaid invoice.
    from dues.selectors import reminder_steps_due

    today = datetime.date(YEAR, 5, 1)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        due = reminder_steps_due(today=today)
        selection_ms = (time.perf_counter() - started) * 1000
    emit("reminder_selection_queries", len(queries.captured_queries))
    emit("reminder_selection_rows", len(due))
    emit("reminder_selection_ms", selection_ms)
    with override_settings(KRETS_REQUIRE_MFA=False, ALLOWED_HOSTS=["*"], DEBUG=False):
        admin_ms, _, _ = timed(admin, f"/admin/dues/duesinvoice/?year__exact={YEAR}")
    emit("reminder_selection_ratio", selection_ms / admin_ms)
