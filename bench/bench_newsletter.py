"""The newsletter through the mail engine: a real Celery worker (prefork, 2 processes) on Redis
and PostgreSQL, sending to an SMTP sink in its own process on loopback.

Prints, for 100 000 × BENCH_SCALE recipients:
  msgs_per_s        whole send, from freezing the audience to the last mail accepted
  ratio_to_smtplib  msgs_per_s / a plain smtplib loop rendering and sending the same mails
  worker_peak_mb    peak resident memory of the worker and its pool processes together
  crash_kills, lost, duplicates
                    a send during which the worker is SIGKILLed at 5 random moments and
                    restarted; the bench runs the reconciler every 2 s, as beat would
  redis_lost, redis_duplicates, redis_recovery_s
                    only with BENCH_KILL_REDIS=1: Redis is SIGKILLed mid-send and restarted
                    empty (REDIS_RESTART_COMMAND); the send completes from PostgreSQL's state

Needs DATABASE_URL (PostgreSQL, migrated) and REDIS_URL. Bench rows are deleted afterwards.
"""

import os
import random
import shlex
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bench.invalid"
STALL_SECONDS = 10  # the worker's and the reconciler's stall limit during the bench
REDIS_RESTART_COMMAND = os.environ.get(
    "REDIS_RESTART_COMMAND",
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log",
)


def out(metric: str, value) -> None:
    print(f"BENCH newsletter {metric}={value}", flush=True)


def run(scale: float) -> None:
    from django.db import connection

    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        print("# newsletter: skipped, needs REDIS_URL and PostgreSQL in DATABASE_URL")
        return
    count = max(200, int(100_000 * scale))
    bench = Bench(count)
    try:
        bench.setup()
        rate, peak_mb = bench.throughput()
        out("recipients", count)
        out("msgs_per_s", round(rate, 1))
        out("ratio_to_smtplib", round(rate / bench.smtplib_rate(), 2))
        out("worker_peak_mb", round(peak_mb, 1))
        kills, lost, duplicates = bench.crash_run(kills=5)
        out("crash_kills", kills)
        out("lost", lost)
        out("duplicates", duplicates)
        if os.environ.get("BENCH_KILL_REDIS") == "1":
            lost, duplicates, recovery = bench.redis_restart_run()
            out("redis_lost", lost)
            out("redis_duplicates", duplicates)
            out("redis_recovery_s", round(recovery, 1))
    finally:
        bench.teardown()


class Bench:
    def __init__(self, count: int):
        self.count = count
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-newsletter-"))
        self.log_path = self.workdir / "sink.log"
        self.sink = None
        self.worker = None

    # --- the parts -------------------------------------------------------------------------

    def setup(self) -> None:
        from django.db import connection

        from members.models import District, Member
        from tests.fixtures.celery_worker import CeleryWorker, database_url, purge_queues
        from tests.fixtures.smtp import free_port

        self.cleanup_rows()
        district, _ = District.objects.get_or_create(name="Benchmark")
        Member.objects.bulk_create(
            (
                Member(
                    first_name=f"Medlem{i}",
                    last_name="Bench",
                    email=f"m{i}@{DOMAIN}",
                    district=district,
                    newsletter_consent=True,
                )
                for i in range(self.count)
            ),
            batch_size=5000,
        )
        self.port = free_port()
        self.sink = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(self.port), self.log_path],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.sink.stdout.readline().strip() == "ready"
        purge_queues()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(connection.settings_dict),
            EMAIL_URL=f"smtp://127.0.0.1:{self.port}",
            MAIL_STALL_SECONDS=str(STALL_SECONDS),
            LOG_LEVEL="WARNING",
        )
        self.worker = CeleryWorker(env=env, concurrency=2)
        self.worker.start()

    def teardown(self) -> None:
        if self.worker:
            self.worker.stop()
        if self.sink:
            self.sink.terminate()
            self.sink.wait(timeout=10)
        self.cleanup_rows()

    def cleanup_rows(self) -> None:
        from krets.models import MailSend
        from members.models import Member
        from newsletters.models import Newsletter

        sends = Newsletter.objects.filter(subject__startswith="Bench ").values("mail_send_id")
        MailSend.objects.filter(pk__in=sends).delete()
        Newsletter.objects.filter(subject__startswith="Bench ").delete()
        Member.objects.filter(email__endswith=f"@{DOMAIN}").delete()

    # --- the runs --------------------------------------------------------------------------

    def start_send(self, name: str):
        from newsletters import services
        from newsletters.models import Newsletter

        newsletter = Newsletter.objects.create(
            subject=f"Bench {name}",
            body="# Nyheter\n\nHej! Här är **månadens** nyheter från kretsen.\n\n- ett\n- två\n",
        )
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
        newsletter.refresh_from_db()
        return newsletter

    def wait_until_sent(self, newsletter, *, during=None, timeout: float = 3600) -> None:
        from newsletters.models import Newsletter

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if during:
                during()
            state = Newsletter.objects.values_list("state", flat=True).get(pk=newsletter.pk)
            if state == Newsletter.State.SENT:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{newsletter.subject} did not finish in {timeout} s")

    def throughput(self) -> tuple[float, float]:
        peak = [0.0]

        def sample():
            peak[0] = max(peak[0], tree_rss_mb(self.worker.pid))

        started = time.perf_counter()
        newsletter = self.start_send("throughput")
        self.wait_until_sent(newsletter, during=sample)
        elapsed = time.perf_counter() - started
        self.check_all_received(newsletter)
        return self.count / elapsed, peak[0]

    def smtplib_rate(self) -> float:
        """The same mails, rendered and sent one by one over one smtplib connection."""
        from krets.mail import kinds
        from krets.mail.kinds import Recipient
        from krets.mail.models import Delivery
        from krets.mail.services import build_message
        from newsletters.mail_kinds import NEWSLETTER

        send = self.last_send
        kind = kinds.get(NEWSLETTER)
        deliveries = list(
            Delivery.objects.filter(send=send).values_list("pk", "email", "member_id", "context")
        )
        started = time.perf_counter()
        prepared = kind.prepare(send.params)
        with smtplib.SMTP("127.0.0.1", self.port) as smtp:
            for pk, email, member_id, context in deliveries:
                rendered = kind.render(prepared, Recipient(email, member_id, context))
                message = build_message(
                    send_id=send.pk, delivery_id=pk, email=email, rendered=rendered
                ).message()
                smtp.sendmail(message["From"], [email], message.as_bytes(linesep="\r\n"))
        return len(deliveries) / (time.perf_counter() - started)

    def crash_run(self, *, kills: int) -> tuple[int, int, int]:
        from krets.mail.services import mail_reconcile

        newsletter = self.start_send("crash")
        done_kills = 0
        last_reconcile = [time.monotonic()]

        def beat():
            if time.monotonic() - last_reconcile[0] >= 2:
                mail_reconcile(stall_seconds=STALL_SECONDS)
                last_reconcile[0] = time.monotonic()

        rng = random.Random(4)
        for _ in range(kills):
            wait = rng.uniform(0.2, 2.0)
            end = time.monotonic() + wait
            while time.monotonic() < end:
                beat()
                time.sleep(0.05)
            if newsletter_done(newsletter):
                break
            self.worker.kill()
            done_kills += 1
            self.worker.start()
        self.wait_until_sent(newsletter, during=beat)
        return (done_kills, *self.lost_and_duplicates(newsletter))

    def redis_restart_run(self) -> tuple[int, int, float]:
        from krets.mail.services import mail_reconcile

        newsletter = self.start_send("redis")
        time.sleep(1.0)
        killed_at = time.monotonic()
        kill_redis()
        subprocess.run(shlex.split(REDIS_RESTART_COMMAND), check=True)
        wait_for_redis()
        print(f"# newsletter: Redis SIGKILLed and restarted empty at {time.strftime('%H:%M:%S')}")
        last = [0.0]

        def beat():
            if time.monotonic() - last[0] >= 2:
                try:
                    mail_reconcile(stall_seconds=STALL_SECONDS)
                except Exception as exc:  # Redis still coming back
                    print(f"# reconciler: {exc}")
                last[0] = time.monotonic()

        self.wait_until_sent(newsletter, during=beat)
        recovery = time.monotonic() - killed_at
        return (*self.lost_and_duplicates(newsletter), recovery)

    # --- counting --------------------------------------------------------------------------

    @property
    def last_send(self):
        from krets.models import MailSend

        return MailSend.objects.filter(kind="newsletters.newsletter").latest("pk")

    def received(self, newsletter) -> Counter:
        prefix = f"<krets.{newsletter.mail_send_id}."
        counts: Counter = Counter()
        with open(self.log_path) as log:
            for line in log:
                recipient, _, message_id = line.rstrip("\n").partition("\t")
                if message_id.startswith(prefix):
                    counts[recipient] += 1
        return counts

    def lost_and_duplicates(self, newsletter) -> tuple[int, int]:
        counts = self.received(newsletter)
        expected = {f"m{i}@{DOMAIN}" for i in range(self.count)}
        lost = len(expected - set(counts))
        duplicates = sum(counts.values()) - len(counts)
        return lost, duplicates

    def check_all_received(self, newsletter) -> None:
        lost, duplicates = self.lost_and_duplicates(newsletter)
        if lost or duplicates:
            raise AssertionError(f"throughput run: lost={lost} duplicates={duplicates}")


def newsletter_done(newsletter) -> bool:
    from newsletters.models import Newsletter

    return Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SENT).exists()


def tree_rss_mb(pid: int | None) -> float:
    """Resident memory of a process and its children, from /proc."""
    if pid is None:
        return 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(child) for child in children]
    total_kb = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def kill_redis() -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379)
    pid = int(client.info("server")["process_id"])
    os.kill(pid, 9)
    while Path(f"/proc/{pid}").exists():
        time.sleep(0.05)


def wait_for_redis(timeout: float = 30) -> None:
    import redis

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if redis.Redis(host="127.0.0.1", port=6379).ping():
                return
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    raise TimeoutError("Redis did not come back")
