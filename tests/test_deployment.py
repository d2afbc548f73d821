"""The production configuration: `check --deploy`, the compose file and the Dockerfile."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://127.0.0.1:1025",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process's own switches (Playwright's async allowance) are not production's.
    skip = set(PRODUCTION_ENV) | {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEMO_MODE", "REQUIRE_MFA"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    clean.update({k: v for k, v in env.items() if v})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_settings_do_not_pass_check_deploy():
    # The check must be able to fail: the embedded defaults are not fit for production.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "1"})
    assert result.returncode != 0


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_whole_production_stack():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= services.keys()
    assert services["web"]["command"][0] == "gunicorn"
    assert services["web"]["command"][1] == "krets.wsgi:application"
    assert (ROOT / "krets" / "wsgi.py").exists()
    assert services["worker"]["command"][:4] == ["celery", "-A", "krets", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "krets", "beat"]
    # Exactly one beat, or periodic jobs would be scheduled twice.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert [name for name, s in services.items() if "beat" in (s.get("command") or [])] == ["beat"]


def test_compose_variables_are_the_ones_the_settings_read():
    services = compose()["services"]
    settings_source = (ROOT / "krets" / "settings.py").read_text()
    read_by_settings = set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z_]+)"', settings_source))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    for name in ("web", "worker", "beat", "migrate"):
        env = services[name]["environment"]
        assert set(env) <= read_by_settings, name
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["EMAIL_URL"] == "smtp://mailpit:1025"
        assert env["DEBUG"] == "0"
    assert documented <= read_by_settings, "a variable in .env.example that nothing reads"
    postgres = services["postgres"]["environment"]
    user, password, db = (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )
    expected = f"postgres://{user}:{password}@postgres:5432/{db}"
    assert services["web"]["environment"]["DATABASE_URL"] == expected


def test_dockerfile_installs_the_lock_and_serves_static_files_through_whitenoise():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
    settings_source = (ROOT / "krets" / "settings.py").read_text()
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings_source


def test_collectstatic_with_the_production_storage_succeeds_on_the_vendored_files(
    settings, tmp_path
):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    css = manifest["vendor/bootstrap-5.3.9/bootstrap.min.css"]
    js = manifest["vendor/bootstrap-5.3.9/bootstrap.bundle.min.js"]
    # The source maps the vendored files name are there, and are referred to by hashed name.
    css_map = manifest["vendor/bootstrap-5.3.9/bootstrap.min.css.map"]
    assert css_map.split("/")[-1] in (tmp_path / css).read_text()
    assert (
        manifest["vendor/bootstrap-5.3.9/bootstrap.bundle.min.js.map"].split("/")[-1]
        in (tmp_path / js).read_text()
    )
    assert (tmp_path / (css + ".gz")).exists()


def test_compose_checks_web_and_worker_health_on_healthz():
    services = compose()["services"]
    for name in ("web", "worker"):
        test = services[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "scripts/healthcheck.py"]
        assert test[3].endswith("/healthz")
    assert (ROOT / "scripts" / "healthcheck.py").exists()


def test_the_image_can_back_up_with_the_servers_pg_dump():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile  # bookworm's is 15, compose's server is postgres:15
    assert compose()["services"]["postgres"]["image"] == "postgres:15"
    assert "backups:/app/backups" in compose()["services"]["worker"]["volumes"]
