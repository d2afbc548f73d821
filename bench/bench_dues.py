"""Dues at scale (issue 11, "Performance"): the registry's unpaid filter, the dues list on its
first, a middle and a deep page, reminder selection, the statistics page, the kassör's CSV and
XLSX, and a camt.054 of 10 000 payments in batches.

Data: BENCH_SCALE × 100 000 members at bench-dues.example.org, each with a YEAR invoice
(3 % are payers of a household's family invoice covering 1–3 more members, who have no
invoice of their own); 70 % paid, 10 % part paid, the rest unpaid, 1 % of those written off;
most unpaid invoices already have reminder 1, some reminder 2; 2 % of members have left. The
data is kept and reused while the member count matches.

Each page is timed through Django's test client (middleware, rights, template): the median of
REPEAT requests after one warm-up, with its SQL query count (BEGIN/COMMIT/SAVEPOINT not
counted) and `_cpu_ms`, the mean CPU time of this process and its PostgreSQL backend (on a
shared machine the wall time says how loaded it was, the CPU time what the work costs; a
parallel query's workers are not counted). The exports and the bank import are timed with the
process's peak RSS growth; the CSV and the bank import run again under tracemalloc for the
Python heap (tracemalloc slows Python 4–20×, so that run's time is not reported; the XLSX is
not run under it: openpyxl would take many minutes). RSS growth means little in a run that
built the data first (the process reuses the freed heap). The bank import runs inside a
transaction that is rolled back, so the data stays as built.
"""

import datetime
import gc
import os
import random
import statistics
import time
import tracemalloc
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

BENCH_DOMAIN = "bench-dues.example.org"
YEAR = 2025
REPEAT = 7
SKIP = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")


def emit(metric: str, value: float) -> None:
    if float(value).is_integer():
        text = str(int(value))
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    else:
        text = f"{value:.3g}"
    print(f"BENCH dues {metric}={text}", flush=True)


def build(n: int) -> None:
    from dues.models import (
        DuesInvoice,
        DuesReminder,
        Fee,
        FeeCategory,
        Household,
        MemberCategory,
        Payment,
    )
    from dues.ocr import dues_ocr
    from members.models import District, Member

    bench = Member.objects.filter(email__endswith="@" + BENCH_DOMAIN)
    if bench.count() == n:
        return
    print(f"# building {n} members with dues", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        ids = "SELECT id FROM members_member WHERE email LIKE %s"
        like = ["%@" + BENCH_DOMAIN]
        invoices = f"SELECT id FROM members_duesinvoice WHERE member_id IN ({ids})"
        cursor.execute(f"DELETE FROM members_duesreminder WHERE invoice_id IN ({invoices})", like)
        cursor.execute(
            f"DELETE FROM members_bankentry WHERE payment_id IN "
            f"(SELECT id FROM members_payment WHERE invoice_id IN ({invoices}))",
            like,
        )
        cursor.execute(
            f"UPDATE members_payment SET reverses_id = NULL WHERE invoice_id IN ({invoices})", like
        )
        cursor.execute(f"DELETE FROM members_payment WHERE invoice_id IN ({invoices})", like)
        cursor.execute(f"DELETE FROM dues_creditnote WHERE invoice_id IN ({invoices})", like)
        cursor.execute(f"DELETE FROM members_duesinvoice WHERE member_id IN ({ids})", like)
    Household.objects.filter(payer__email__endswith="@" + BENCH_DOMAIN).delete()
    MemberCategory.objects.filter(member__email__endswith="@" + BENCH_DOMAIN).delete()
    bench.delete()
    districts = [District.objects.get_or_create(name=f"Bänk {i}")[0] for i in range(8)]
    due_on = datetime.date(YEAR, 3, 31)
    fees = {
        category: Fee.objects.get_or_create(
            year=YEAR,
            name=f"Bänk {label}",
            defaults={"amount": Decimal(amount), "due_on": due_on, "category": category},
        )[0]
        for category, label, amount in (
            (FeeCategory.ORDINARY, "ordinarie", "250.00"),
            (FeeCategory.YOUTH, "ungdom", "100.00"),
            (FeeCategory.FAMILY, "familj", "400.00"),
        )
    }
    rng = random.Random(11)
    first = ["Anna", "Erik", "Karin", "Lars", "Maria", "Nils", "Siv", "Åke", "Örjan", "Ebba"]
    last = ["Lind", "Berg", "Holm", "Ek", "Sjöberg", "Nordin", "Dahl", "Ström", "Wik", "Öberg"]
    base = 800_000  # six digits, so the OCR has the usual 12
    sent = timezone.make_aware(datetime.datetime(YEAR, 2, 1, 9))
    chunk = 5000
    for start in range(0, n, chunk):
        members = Member.objects.bulk_create(
            Member(
                first_name=rng.choice(first),
                last_name=f"{rng.choice(last)}{i % 997}",
                email=f"m{i}@{BENCH_DOMAIN}",
                phone=f"+46703{i:06d}",
                birth_date=datetime.date(rng.randrange(1930, 2008), rng.randrange(1, 13), 1),
                address=f"Bänkgatan {i % 200}",
                postcode="811 30",
                town="Sandviken",
                district=districts[i % 8],
                joined_on=datetime.date(rng.randrange(1980, YEAR), 1, 1),
                left_on=datetime.date(YEAR, 6, 1) if rng.random() < 0.02 else None,
                member_number=base + i,
            )
            for i in range(start, min(n, start + chunk))
        )
        # Households: a payer and the 1–3 members after them, who get no invoice of their own.
        payers, covered, invoiced = {}, set(), []
        index = 0
        while index < len(members):
            member = members[index]
            if rng.random() < 0.03 and index + 3 < len(members):
                size = rng.randrange(1, 4)
                payers[member.pk] = members[index + 1 : index + 1 + size]
                covered.update(m.pk for m in payers[member.pk])
                invoiced.append(member)
                index += 1 + size
                continue
            invoiced.append(member)
            index += 1
        households = Household.objects.bulk_create(
            Household(name=f"Hushållet {members_[0].last_name}", payer_id=pk)
            for pk, members_ in payers.items()
        )
        through = Household.members.through
        through.objects.bulk_create(
            through(household_id=household.pk, member_id=m.pk)
            for household in households
            for m in payers[household.payer_id]
        )
        household_of = {household.payer_id: household.pk for household in households}
        youth = {m.pk for m in invoiced if m.pk not in household_of and rng.random() < 0.1}
        MemberCategory.objects.bulk_create(
            MemberCategory(member_id=pk, category=FeeCategory.YOUTH) for pk in youth
        )
        invoices = []
        for member in invoiced:
            category = (
                FeeCategory.FAMILY
                if member.pk in household_of
                else FeeCategory.YOUTH
                if member.pk in youth
                else FeeCategory.ORDINARY
            )
            fee = fees[category]
            invoices.append(
                DuesInvoice(
                    member=member,
                    year=YEAR,
                    fee=fee,
                    amount=fee.amount,
                    due_on=due_on,
                    ocr=dues_ocr(year=YEAR, member_number=member.member_number),
                    sent_at=sent,
                    household_id=household_of.get(member.pk),
                )
            )
        DuesInvoice.objects.bulk_create(invoices)
        payments, reminders = [], []
        for invoice in invoices:
            roll = rng.random()
            if roll < 0.8:
                amount = invoice.amount if roll < 0.7 else Decimal("100.00")
                payments.append(
                    Payment(
                        invoice=invoice,
                        amount=amount,
                        paid_on=datetime.date(YEAR, rng.randrange(2, 6), rng.randrange(1, 28)),
                        method=rng.choice(["swish", "bankgiro"]),
                        reference=f"BENCH-{invoice.ocr}",
                    )
                )
                invoice.paid_amount = amount
            elif roll < 0.81:
                invoice.written_off_on = datetime.date(YEAR, 10, 1)
                invoice.write_off_reason = "Bänk"
            if invoice.paid_amount < invoice.amount and roll < 0.97:
                reminders.append(
                    DuesReminder(
                        invoice=invoice,
                        step=1,
                        created_on=datetime.date(YEAR, 4, 14),
                        sent_at=sent,
                    )
                )
                if roll > 0.9:
                    reminders.append(
                        DuesReminder(
                            invoice=invoice,
                            step=2,
                            created_on=datetime.date(YEAR, 5, 5),
                            sent_at=sent,
                        )
                    )
        Payment.objects.bulk_create(payments)
        DuesReminder.objects.bulk_create(reminders)
        DuesInvoice.objects.bulk_update(
            [i for i in invoices if i.paid_amount or i.written_off_on],
            ["paid_amount", "written_off_on", "write_off_reason"],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"# built in {time.perf_counter() - started:.0f} s", flush=True)


def kassor():
    from members.models import BoardAssignment, BoardFunction, Member, User

    user, _ = User.objects.get_or_create(email="kassor@bench-dues-login.example.org")
    member, _ = Member.objects.get_or_create(
        user=user, defaults={"first_name": "Bänk", "last_name": "Kassör", "email": user.email}
    )
    for function in (BoardFunction.TREASURER, BoardFunction.MEMBERSHIP, BoardFunction.CHAIR):
        BoardAssignment.objects.get_or_create(
            member=member, function=function, year=datetime.date.today().year
        )
    return user


def _backend_cpu_s() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (Linux /proc, same
    machine; 0 when unreadable). With the process's own CPU time it says what a request costs
    apart from the waiting a loaded machine adds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_s() -> float:
    return time.process_time() + _backend_cpu_s()


def timed(client: Client, url: str) -> tuple[float, int, float]:
    """(median ms, SQL queries, mean CPU ms of this process and its PostgreSQL backend) over
    REPEAT requests after one warm-up."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    cpu = cpu_s()
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    cpu_ms = (cpu_s() - cpu) * 1000 / REPEAT
    assert response.status_code == 200, (url, response.status_code)
    sql = [q for q in queries.captured_queries if not q["sql"].startswith(SKIP)]
    return statistics.median(times), len(sql), cpu_ms


def page(client: Client, name: str, url: str) -> None:
    ms, queries, cpu_ms = timed(client, url)
    emit(f"{name}_ms", ms)
    emit(f"{name}_cpu_ms", cpu_ms)
    emit(f"{name}_queries", queries)


def dues_list_cursor(position: int) -> int | None:
    """The keyset cursor of the dues list page that starts after `position` invoices."""
    from dues.selectors import dues_list_order, invoices_with_status

    row = (
        invoices_with_status(year=YEAR)
        .order_by(*dues_list_order())
        .values_list("member_id", flat=True)[position - 1 : position]
    )
    return row[0] if row else None


def peak_rss_reset() -> None:
    """Resets the kernel's peak resident set size of this process (Linux), so VmHWM below is
    the peak of what follows."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def rss_kb(field: str = "VmRSS") -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_memory(label: str, function) -> None:
    """Python heap growth (tracemalloc peak) and the process's peak RSS growth of one run."""
    gc.collect()
    before = rss_kb()
    peak_rss_reset()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    function()
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    emit(f"{label}_heap_peak_mb", peak / 1024 / 1024)
    emit(f"{label}_rss_peak_growth_mb", max(rss_kb("VmHWM") - before, 0) / 1024)


def export(client: Client, dialect: str) -> int:
    """Downloads the year's whole dues list; returns its data rows."""
    response = client.get(f"/avgifter/export.csv?ar={YEAR}&status=alla&format={dialect}")
    assert response.status_code == 200, response.status_code
    if dialect == "xlsx":
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\r\n")
    return lines - 1


def camt_file(count: int) -> bytes:
    """A Bankgirot notification (camt.054.001.02, the shape of tests/data/camt/) with `count`
    OCR payments of unpaid invoices: deposits (Ntry) of 100 payments, each payment with its own
    TxDtls/AmtDtls/TxAmt; every 50th entry a single payment with the OCR as free text."""
    from dues.models import DuesInvoice

    invoices = list(
        DuesInvoice.objects.filter(
            year=YEAR, paid_amount=0, member__email__endswith="@" + BENCH_DOMAIN
        )
        .order_by("ocr")
        .values_list("ocr", "amount")[:count]
    )
    assert len(invoices) == count, f"only {len(invoices)} unpaid invoices for {count} payments"
    day = f"{YEAR}-06-0{1 + count % 7}"
    entries, number = [], 0
    for start in range(0, count, 100):
        batch = invoices[start : start + 100]
        number += 1
        if number % 50 == 0:
            for ocr, amount in batch:
                number += 1
                entries.append(
                    f'<Ntry><Amt Ccy="SEK">{amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                    f"<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
                    f"<AcctSvcrRef>BENCH-{number:06d}</AcctSvcrRef><NtryDtls><TxDtls>"
                    f"<Refs><AcctSvcrRef>BENCH-{number:06d}-1</AcctSvcrRef></Refs>"
                    f"<RltdPties><Dbtr><Nm>BETALARE {ocr}</Nm></Dbtr></RltdPties>"
                    f"<RmtInf><Ustrd>MEDLEMSAVGIFT OCR {ocr[:4]} {ocr[4:8]} {ocr[8:]}</Ustrd>"
                    f"</RmtInf></TxDtls></NtryDtls></Ntry>"
                )
            continue
        txs = "".join(
            f"<TxDtls><Refs><AcctSvcrRef>BENCH-{number:06d}-{k:03d}</AcctSvcrRef></Refs>"
            f'<AmtDtls><TxAmt><Amt Ccy="SEK">{amount:.2f}</Amt></TxAmt></AmtDtls>'
            f"<RltdPties><Dbtr><Nm>BETALARE {ocr}</Nm></Dbtr></RltdPties>"
            f"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{ocr}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
            for k, (ocr, amount) in enumerate(batch, 1)
        )
        total = sum(amount for _, amount in batch)
        entries.append(
            f'<Ntry><Amt Ccy="SEK">{total:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>BENCH-{number:06d}</AcctSvcrRef>"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly>"
            f"</Domn></BkTxCd><NtryDtls><Btch><NbOfTxs>{len(batch)}</NbOfTxs>"
            f'<TtlAmt Ccy="SEK">{total:.2f}</TtlAmt><CdtDbtInd>CRDT</CdtDbtInd></Btch>'
            f"{txs}</NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>BENCH{count}</MsgId>"
        f"<CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr><Ntfctn><Id>BENCH-{count}</Id>"
        f"<CreDtTm>{day}T06:00:00</CreDtTm><Acct><Id><Othr><Id>50501055</Id>"
        "<SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id><Ccy>SEK</Ccy></Acct>"
        + "".join(entries)
        + "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


class _RolledBack(Exception):
    pass


def import_rolled_back(content: bytes) -> tuple[float, int, int]:
    """(seconds, payments booked, SQL queries) of importing the file; then rolled back."""
    from dues import services

    outcome = {}
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = services.bank_file_import(actor=None, name="bench.xml", content=content)
                outcome["s"] = time.perf_counter() - started
            outcome["booked"] = result.booked
            outcome["queries"] = len(
                [q for q in queries.captured_queries if not q["sql"].startswith(SKIP)]
            )
            raise _RolledBack
    except _RolledBack:
        pass
    return outcome["s"], outcome["booked"], outcome["queries"]


def run(scale: float) -> None:
    # One connection for the whole run: with DATABASE_CONN_MAX_AGE a request ending after 60 s
    # would close it, and a measurement spanning that would read a new backend's CPU time.
    connection.settings_dict["CONN_MAX_AGE"] = None
    connection.close_at = None
    n = max(1000, int(100_000 * scale))
    build(n)
    user = kassor()
    emit("members", n)
    emit("load_average_1min", os.getloadavg()[0])
    from dues.models import DuesInvoice

    invoices = DuesInvoice.objects.filter(year=YEAR).count()
    emit("invoices", invoices)
    settings = {"KRETS_REQUIRE_MFA": False, "ALLOWED_HOSTS": ["*"], "DEBUG": False}
    with override_settings(**settings):
        client = Client()
        client.force_login(user)
        # A page that reads next to nothing: what any page costs on this machine right now.
        page(client, "floor_page", "/avgifter/bankfiler/")
        # The registry's dues filter: unpaid YEAR dues, 50 a page, first, middle and last page.
        unpaid = f"/medlemmar/?status=alla&avgift=obetald&avgiftsar={YEAR}"
        from members.selectors import member_list

        unpaid_count = member_list(part_filters={"avgift": "obetald", "avgiftsar": YEAR}).count()
        last = max(1, -(-unpaid_count // 50))
        emit("registry_unpaid_rows", unpaid_count)
        page(client, "registry_unpaid_first", unpaid)
        page(client, "registry_unpaid_middle", f"{unpaid}&sida={max(1, last // 2)}")
        page(client, "registry_unpaid_deep", f"{unpaid}&sida={last}")
        page(client, "registry_paid_first", unpaid.replace("obetald", "betald"))

        # The dues list: first page, the page after half the invoices, the last pages.
        dues = f"/avgifter/?ar={YEAR}&status=alla"
        page(client, "dues_list_first", dues)
        page(client, "dues_list_middle", f"{dues}&efter={dues_list_cursor(invoices // 2)}")
        page(client, "dues_list_deep", f"{dues}&efter={dues_list_cursor(invoices - 60)}")
        page(client, "dues_list_deep_back", f"{dues}&fore={dues_list_cursor(invoices - 10)}")
        page(client, "dues_list_unpaid_first", dues.replace("alla", "obetald"))
        page(client, "dues_list_search", f"{dues}&q=Lind12")

        # The board's statistics (dues: people not paid up, households counted per person).
        page(client, "statistics", f"/medlemmar/statistik/?ar={YEAR}")

    # Reminder selection for the year: one query over every sent, unpaid invoice.
    from dues.selectors import reminder_steps_due

    today = datetime.date(YEAR, 6, 15)
    times = []
    cpu = cpu_s()
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            due = reminder_steps_due(today=today, year=YEAR)
            times.append((time.perf_counter() - started) * 1000)
    emit("reminder_selection_ms", statistics.median(times))
    emit("reminder_selection_cpu_ms", (cpu_s() - cpu) * 1000 / REPEAT)
    emit("reminder_selection_queries", len(queries.captured_queries))
    emit("reminder_selection_rows", len(due))

    with override_settings(**settings):
        client = Client()
        client.force_login(user)
        for dialect in ("excel", "rfc4180", "xlsx"):
            label = {"excel": "csv", "rfc4180": "csv_rfc4180", "xlsx": "xlsx"}[dialect]
            # Speed, with the process's peak resident memory growth (costs nothing to watch).
            gc.collect()
            before = rss_kb()
            peak_rss_reset()
            cpu = cpu_s()
            started = time.perf_counter()
            rows = export(client, dialect)
            elapsed = time.perf_counter() - started
            emit(f"{label}_cpu_s", cpu_s() - cpu)
            emit(f"{label}_rss_peak_growth_mb", max(rss_kb("VmHWM") - before, 0) / 1024)
            if dialect == "xlsx":
                emit(f"{label}_mb", rows / 1024 / 1024)
                emit(f"{label}_rows_per_s", invoices / elapsed)
            else:
                emit(f"{label}_rows", rows)
                emit(f"{label}_rows_per_s", rows / elapsed)
            emit(f"{label}_s", elapsed)
        # Python heap growth in a separate run (tracemalloc slows Python 4-20x). Not for the
        # XLSX: openpyxl under tracemalloc takes many minutes; its RSS growth is above.
        measure_memory("csv", lambda: export(client, "excel"))

    # A camt.054 of 10 000 payments (scaled) in batches of 100.
    count = max(100, int(10_000 * scale))
    content = camt_file(count)
    emit("camt_payments", count)
    emit("camt_file_mb", len(content) / 1024 / 1024)
    cpu = cpu_s()
    seconds, booked, queries = import_rolled_back(content)
    emit("camt_import_cpu_s", cpu_s() - cpu)
    assert booked == count, (booked, count)
    emit("camt_import_s", seconds)
    emit("camt_import_payments_per_s", booked / seconds)
    emit("camt_import_queries", queries)
    measure_memory("camt_import", lambda: import_rolled_back(content))
