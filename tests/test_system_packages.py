"""`make test` and `.ci/run` share one list of Debian packages and one script that installs them,
or stops at once with one line saying what to install."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ensure-system-packages.sh"


def packages() -> list[str]:
    lines = (ROOT / "scripts" / "system-packages.txt").read_text().splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def test_the_list_names_what_the_tests_use():
    assert {"chromium", "gettext", "libpango-1.0-0", "libreoffice-calc-nogui"} <= set(packages())
    assert {"postgresql-client", "fonts-dejavu-core"} <= set(packages())


def test_make_test_and_ci_run_the_same_script():
    assert "scripts/ensure-system-packages.sh" in (ROOT / "Makefile").read_text()
    assert "scripts/ensure-system-packages.sh" in (ROOT / ".ci" / "run").read_text()
    # Under `make test` itself, the inner make would announce "Entering directory" first.
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"], cwd=ROOT, capture_output=True, text=True
    )
    lines = dry.stdout.splitlines()
    assert "ensure-system-packages.sh" in lines[0], "checked before anything else runs"


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv to drop root")
def test_without_root_it_stops_with_one_line_naming_the_missing_packages():
    # In /tmp itself: pytest's own temporary folders are closed to other users.
    with tempfile.NamedTemporaryFile("w", dir="/tmp", suffix=".txt") as handle:
        handle.write("# comment\nbash          the shell\nkrets-no-such-package  why\n")
        handle.flush()
        os.chmod(handle.name, 0o644)
        result = run_as_nobody(handle.name)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Missing Debian packages; install them with: sudo apt-get install krets-no-such-package"
    ]


def run_as_nobody(listing: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash", str(SCRIPT)],
        env={"PATH": "/usr/bin:/bin", "SYSTEM_PACKAGES_FILE": listing},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_everything_installed_it_says_nothing(tmp_path):
    listing = tmp_path / "packages.txt"
    listing.write_text("bash\ncoreutils\n")
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        env={"PATH": "/usr/bin:/bin", "SYSTEM_PACKAGES_FILE": str(listing)},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
