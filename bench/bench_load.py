"""The portal under load, served as in production: gunicorn (compose's command, 3 sync workers)
with DEBUG=0 on PostgreSQL and Redis, over BENCH_SCALE × 100 000 members (bench_members' data).

Closed-loop clients on loopback, 1, 8 and 32 at a time, each for BENCH_LOAD_SECONDS (default
15) after a short warm-up, walk a board member's mix: the overview, the member list, a search, a
member's page, the dues page and the public meeting feed. Each client has its own signed-in
session (the medlemsansvarig and kassör of bench_members, with two-factor set up). Prints

    BENCH load rps_c8=… p50_c8_ms=… p95_c8_ms=… p99_c8_ms=… errors_c8=…
    BENCH load queries_<page>=…   (SQL queries per page, measured in-process)

Needs DATABASE_URL (PostgreSQL) and REDIS_URL. BENCH_PORT (default 8350) is where it serves.
"""

import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = (1, 8, 32)
WEIGHTS = {"overview": 2, "members": 2, "search": 2, "member": 2, "dues": 1, "feed": 1}
# URL-encoded as a browser sends them ("Sjöberg3", "Öberg").
SEARCHES = ["Lind12", "Berg7", "Holm", "Karin", "Sj%C3%B6berg3", "%C3%96berg", "m1234"]


def emit(metrics: dict[str, float]) -> None:
    line = " ".join(
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items()
    )
    print(f"BENCH load {line}", flush=True)


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions made here are signed with it
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"https://127.0.0.1:{port}",
        EMAIL_URL="",
        PYTHONUNBUFFERED="1",
    )
    for name in ("DEMO_MODE", "REQUIRE_MFA", "BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def sessions(user, count: int) -> list[str]:
    """Signed-in sessions of the bench user, one per client (as many browsers would have)."""
    keys = []
    with override_settings(ALLOWED_HOSTS=["*"]):
        for _ in range(count):
            client = Client()
            client.force_login(user)
            keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return keys


def paths(member_ids: list[int]) -> dict[str, callable]:
    return {
        "overview": lambda rng: "/",
        "members": lambda rng: "/medlemmar/",
        "search": lambda rng: f"/medlemmar/?status=alla&q={rng.choice(SEARCHES)}",
        "member": lambda rng: f"/medlemmar/{rng.choice(member_ids)}/",
        "dues": lambda rng: "/avgifter/",
        "feed": lambda rng: "/moten/kalender.ics",
    }


def query_counts(user, member_id: int) -> dict[str, int]:
    rng = random.Random(0)
    counts = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(user)
        for page, path in paths([member_id]).items():
            url = path(rng)
            # Warm the caches a real server has warm: the versioned cache learns on the first
            # request which tables a value reads, and keeps it from the second (krets/versioned).
            client.get(url)
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            skip = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
            counts[page] = sum(not q["sql"].startswith(skip) for q in queries.captured_queries)
    return counts


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by this database's
    PostgreSQL backends: divided by the requests served, what a request costs whatever else
    runs on the machine (wall-clock figures depend on that)."""
    workers = [server_pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                workers.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return sum(map(_cpu_seconds, workers)), sum(map(_cpu_seconds, backends))


class Load:
    def __init__(self, port: int, session_keys: list[str], member_ids: list[int]):
        self.port = port
        self.session_keys = session_keys
        self.paths = paths(member_ids)
        self.mix = [page for page, weight in WEIGHTS.items() for _ in range(weight)]

    def request(self, conn: HTTPConnection, session: str, url: str) -> int:
        conn.request(
            "GET",
            url,
            headers={
                "Host": f"127.0.0.1:{self.port}",
                "X-Forwarded-Proto": "https",  # as the TLS proxy in front says
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "Accept-Language": "sv",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status

    def run(
        self, clients: int, seconds: float, warmup: float = 2.0, server_pid: int | None = None
    ) -> dict[str, float]:
        start = time.perf_counter()
        cpu_before = None
        measure_from, stop_at = start + warmup, start + warmup + seconds
        latencies: list[list[float]] = [[] for _ in range(clients)]
        per_page: dict[str, list[float]] = {page: [] for page in WEIGHTS}
        errors = [0] * clients

        def client(index: int) -> None:
            rng = random.Random(index)
            session = self.session_keys[index]
            conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
            while (now := time.perf_counter()) < stop_at:
                page = rng.choice(self.mix)
                url = self.paths[page](rng)
                try:
                    status = self.request(conn, session, url)
                except OSError:
                    conn.close()  # gunicorn's sync workers close after each response
                    conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
                    status = self.request(conn, session, url)
                done = time.perf_counter()
                if now >= measure_from:
                    latencies[index].append((done - now) * 1000)
                    per_page[page].append((done - now) * 1000)
                    errors[index] += status != 200
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        if server_pid is not None:
            time.sleep(max(0.0, measure_from - time.perf_counter()))
            cpu_before, client_before = server_cpu(server_pid), time.process_time()
        for thread in threads:
            thread.join()
        if cpu_before is not None:
            cpu_after, client_after = server_cpu(server_pid), time.process_time()
        every = sorted(ms for per_client in latencies for ms in per_client)
        q = statistics.quantiles(every, n=100)
        c = f"c{clients}"
        cost = {}
        if cpu_before is not None and every:
            # Requests in flight at either edge make this a close estimate, not an exact one.
            cost = {
                f"cpu_app_ms_per_req_{c}": 1000 * (cpu_after[0] - cpu_before[0]) / len(every),
                f"cpu_db_ms_per_req_{c}": 1000 * (cpu_after[1] - cpu_before[1]) / len(every),
                f"cpu_client_ms_per_req_{c}": 1000 * (client_after - client_before) / len(every),
            }
        return {
            f"rps_{c}": len(every) / seconds,
            f"p50_{c}_ms": q[49],
            f"p95_{c}_ms": q[94],
            f"p99_{c}_ms": q[98],
            f"errors_{c}": sum(errors),
            **cost,
            **{
                f"p50_{page}_{c}_ms": statistics.median(times)
                for page, times in per_page.items()
                if times and clients == 1
            },
        }


def start_server(port: int) -> subprocess.Popen:
    env = server_env(port)
    manage = [sys.executable, "manage.py"]
    # DEBUG=0 renders {% static %} from the manifest, as the image does after its collectstatic.
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "krets.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/konton/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer in 60 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run(scale: float) -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        print("# bench load: needs DATABASE_URL (PostgreSQL) and REDIS_URL; skipped")
        return
    import bench_members
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from members.models import Member

    call_command("migrate", "--no-input", verbosity=0)
    n = max(1000, int(100_000 * scale))
    bench_members.build(n)
    user, _ = bench_members.people()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    member_ids = list(
        Member.objects.filter(email__endswith=bench_members.BENCH_DOMAIN)
        .order_by("?")
        .values_list("pk", flat=True)[:500]
    )
    counts = query_counts(user, member_ids[0])
    emit({"members": n, **{f"queries_{page}": count for page, count in counts.items()}})

    port = int(os.environ.get("BENCH_PORT", "8350"))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "15"))
    server = start_server(port)
    try:
        load = Load(port, sessions(user, max(CONCURRENCY)), member_ids)
        for clients in CONCURRENCY:
            emit(load.run(clients, seconds, server_pid=server.pid))
        emit({"load_average_1m": os.getloadavg()[0], "cores": os.cpu_count()})
    finally:
        stop_server(server)
