"""`make run`'s stack (`manage.py serve`): web server, a Celery worker and one beat on an
embedded broker in a SQLite file, with no Redis. Real processes on a SQLite file database."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from krets.management.commands.serve import child_environment, commands

ROOT = Path(__file__).resolve().parent.parent
# Variables of this test run that would move the stack off its embedded defaults.
PRODUCTION_VARIABLES = {"DATABASE_URL", "REDIS_URL", "BROKER_URL", "CACHE_PREFIX", "SITE_URL"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args, *(["--no-imports"] if args[0] == "shell" else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def wait_for(predicate, *, timeout: float, what: str, log=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout}s:\n{log()[-4000:]}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but is not reaped yet is a zombie, not alive.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] != "Z"


# The writer's side, through the services (the entry points the pages use). Every beat interval
# becomes 3 seconds so that the test need not wait for whole minutes.
SETUP = """
from django_celery_beat.models import IntervalSchedule
IntervalSchedule.objects.filter(period="minutes", every=1).update(every=3, period="seconds")
from tests.factories import MemberFactory
for n in range(3):
    MemberFactory(email=f"mottagare{n}@example.org", newsletter_consent=True)
"""
SCHEDULE = """
import datetime
from django.utils import timezone
from newsletters.models import Newsletter
from newsletters import services
from tests.factories import UserFactory
writer = UserFactory()
letter = services.newsletter_save(
    actor=writer, newsletter=Newsletter(subject="Planerat brev", body="Hej!")
)
in_8_seconds = timezone.now() + datetime.timedelta(seconds=8)
services.newsletter_schedule(actor=writer, newsletter=letter, send_at=in_8_seconds)
print(Newsletter.objects.filter(pk=letter.pk).values_list("state", flat=True)[0])
"""


@pytest.mark.integration
def test_make_run_stack_sends_a_scheduled_newsletter_once_even_with_a_second_beat(
    smtp_server, tmp_path
):
    env = embedded_env(tmp_path, EMAIL_URL=smtp_server.email_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "shell", "-c", SETUP)

    port = free_port()
    log_path = tmp_path / "serve.log"
    beat_log_path = tmp_path / "second-beat.log"
    with log_path.open("wb") as log, beat_log_path.open("wb") as beat_log:
        serve = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}", "--concurrency=1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # Someone starts `celery beat` by hand beside `make run`, on the same broker.
        second_beat_env = child_environment(host="127.0.0.1", port=port, environ=env)
        second_beat = subprocess.Popen(
            commands(host="127.0.0.1", port=port, concurrency=1)["beat"],
            cwd=ROOT,
            env=second_beat_env,
            stdout=beat_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    serve_log = lambda: log_path.read_text(errors="replace")  # noqa: E731
    try:
        assert (
            second_beat_env["BROKER_URL"]
            == f"krets-sqlite+sqlite:///{tmp_path}/celery-broker.sqlite3"
        )
        wait_for(lambda: " ready." in serve_log(), timeout=90, what="no worker", log=serve_log)
        wait_for(
            lambda: serve_log().count("beat: Starting") >= 1,
            timeout=30,
            what="no beat",
            log=serve_log,
        )
        assert "Redis" not in serve_log() and "redis://" not in serve_log()

        assert manage(env, "shell", "-c", SCHEDULE).strip() == "schemalagd"
        assert smtp_server.recipients == []  # nothing before its time

        smtp_server.wait_for(3, timeout=90)
        # Both beats go on dispatching and reconciling; nobody gets the letter twice.
        time.sleep(8)
        assert sorted(smtp_server.recipients) == [f"mottagare{n}@example.org" for n in range(3)]
        assert smtp_server.messages[0]["Subject"] == "Planerat brev"
        # The web server answers too and reports beat's ticks; links in mail point at it.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as health:
            assert health.status == 200
            assert json.load(health)["checks"]["scheduler"] == "ok"
        assert f"http://127.0.0.1:{port}" in serve_log()

        children = [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", serve_log())]
        assert len(children) == 3  # web, worker, beat
        # Ctrl-C: everything stops.
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)
        wait_for(
            lambda: not any(pid_alive(pid) for pid in children),
            timeout=15,
            what="children still running after Ctrl-C",
            log=serve_log,
        )
    finally:
        stop(serve, second_beat, children=re.findall(r"started \(pid=(\d+)\)", serve_log()))


def stop(*processes: subprocess.Popen, children: list[str]) -> None:
    """Whatever the test's outcome: SIGTERM first (the supervisor stops its children), then
    SIGKILL to every process group still there, the supervisor's children's included."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    for pid in [process.pid for process in processes] + [int(pid) for pid in children]:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for process in processes:
        process.wait(timeout=10)


def test_links_in_mail_follow_the_address_make_run_serves_on():
    env = child_environment(host="127.0.0.1", port=8101, environ={})
    assert env["SITE_URL"] == "http://127.0.0.1:8101"
    assert env["BROKER_URL"].startswith("krets-sqlite+sqlite:///")
    # A SITE_URL set by hand wins; a Redis of the production stack is used as its broker.
    env = child_environment(
        host="0.0.0.0",
        port=8000,
        environ={"SITE_URL": "https://portal.example.org", "REDIS_URL": "redis://r:6379/0"},
    )
    assert env["SITE_URL"] == "https://portal.example.org"
    assert env["BROKER_URL"] == "redis://r:6379/0"


def test_make_run_passes_host_and_port_to_serve():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "manage.py serve 127.0.0.1:8101" in result.stdout
