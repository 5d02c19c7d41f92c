"""The production profile (issue 13): with DEBUG off the defaults are secure, `check --deploy` is clean
with only SECRET_KEY and ALLOWED_HOSTS set, docker-compose keeps those defaults, the HTTPS redirect is
satisfied by a trusted proxy's header, and nothing a signed-in user or an API client is shown may be
stored by a browser or a proxy."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client

from core.tokens import token_create

BASE_DIR = Path(settings.BASE_DIR)


def _production_env(tmp_path, **extra) -> dict:
    """Only what a deployment must set: a real secret key, the audit trail's key and the host name
    (plus PATH to run Python)."""
    return {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SPR_AUDIT_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "spr.example.police.uk",
        "SPR_VAR_DIR": str(tmp_path),
        **extra,
    }


def test_check_deploy_passes_with_only_secret_key_and_allowed_hosts(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "WARNINGS:" not in output and "ERRORS:" not in output, output
    # Only information remains: no virus scanner is configured in this bare environment.
    assert "spr.I001" in output


def test_check_deploy_is_silent_once_a_virus_scanner_is_configured(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(tmp_path, CLAMD_HOST="clamav"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0 and "System check identified no issues" in result.stdout, (
        result.stdout + result.stderr
    )


def test_the_production_profile_refuses_to_run_without_an_audit_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SPR_AUDIT_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0 and "spr.E001" in result.stdout + result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "SESSION_COOKIE_HTTPONLY",
)}))
"""


def _settings_in(tmp_path, **extra) -> dict:
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="spr.settings", **extra)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_secure_and_the_proxy_header_comes_from_the_environment(tmp_path):
    defaults = _settings_in(tmp_path)

    assert defaults["DEBUG"] is False
    assert defaults["SESSION_COOKIE_SECURE"] and defaults["CSRF_COOKIE_SECURE"] and defaults["SESSION_COOKIE_HTTPONLY"]
    assert defaults["SECURE_SSL_REDIRECT"] is True
    assert defaults["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60 and defaults["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert defaults["SECURE_PROXY_SSL_HEADER"] is None
    assert defaults["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]

    behind_proxy = _settings_in(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _settings_in(tmp_path, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")[
        "SECURE_PROXY_SSL_HEADER"
    ] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_docker_compose_keeps_the_secure_defaults():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]

    for name in ("SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        assert environment.get(name, "${X:-true}").endswith(":-true}"), (name, environment.get(name))
    assert environment["DEBUG"] == "${DEBUG:-false}"
    assert "SECURE_PROXY_SSL_HEADER" in environment
    assert "false" not in json.dumps({key: value for key, value in environment.items() if "SECURE" in key})


@pytest.mark.django_db
def test_the_https_redirect_is_satisfied_by_a_trusted_proxy_header(settings, staff_user):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client = Client()

    plain = client.get("/accounts/login/")
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    health = client.get("/healthz")

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert health.status_code == 200  # the container's own health check stays on plain HTTP


# --- Cache-Control ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_are_no_store(staff_client, staff_user, spr2012):
    for path in ("/", "/assessments/", "/evidence/", "/editions/", "/editions/spr-2012/", "/no-such-page/"):
        response = staff_client.get(path)
        assert "no-store" in response["Cache-Control"], (path, response.get("Cache-Control"))

    secret = token_create(user=staff_user, name="Cache check").secret
    for path in ("/api/v1/assessments/", "/api/v1/editions/", "/api/v1/no-such-thing/"):
        response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response["Cache-Control"] == "no-store", path
    assert "no-store" in Client().get("/api/v1/editions/")["Cache-Control"]  # a refusal too


@pytest.mark.django_db
def test_anonymous_pages_static_files_and_the_health_check_keep_their_own_caching(staff_client, client):
    health = client.get("/healthz")
    assert health["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    # GOV.UK Frontend's assets are served by WhiteNoise before the middleware, with its own headers,
    # even to a signed-in user.
    asset = staff_client.get("/assets/images/favicon.ico")
    assert asset.status_code == 200 and "no-store" not in asset.get("Cache-Control", "")
