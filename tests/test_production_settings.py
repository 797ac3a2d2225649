"""Production settings: refuse unsafe configurations, pass `check --deploy`, send security headers.

Production settings read the environment at import, so each case runs in a fresh
interpreter with its own environment.
"""

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "DJANGO_SETTINGS_MODULE": "website.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pharmacy.example",
}


# Set in this test process (the browser tests' Playwright needs the async guard off), never in
# a deployment: the fresh interpreters must not inherit them.
TEST_ONLY = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(code, **env):
    """Run `code` in a fresh interpreter with GOOD + env (a None value unsets a variable)."""
    merged = {**GOOD, **env}
    environ = {k: v for k, v in os.environ.items() if k not in {*TEST_ONLY, *merged}}
    environ.update({k: v for k, v in merged.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


# Importing the settings module is enough to see what it refuses (and fast: no apps loaded).
SETUP = "import website.settings.production"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "Set the SECRET_KEY environment variable."),
        ({"SECRET_KEY": ""}, "Set the SECRET_KEY environment variable."),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "Set ALLOWED_HOSTS"),
        ({"DEBUG": "1"}, "DEBUG must be off in production"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"WAGTAILFRONTENDCACHE": "{not json"}, "WAGTAILFRONTENDCACHE is not valid JSON"),
    ],
)
def test_refuses_to_start(env, message):
    result = run(SETUP, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_starts_with_the_required_variables():
    result = run(SETUP)
    assert result.returncode == 0, result.stderr


def test_a_rotated_secret_key_still_reads_what_the_old_one_signed():
    code = (
        "import django; django.setup(); from django.core import signing; "
        "print(signing.loads(signing.dumps('kept', key='old-key')))"
    )
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY="new-key",
        SECRET_KEY_FALLBACKS="old-key",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kept"
    refused = run(code, DJANGO_SETTINGS_MODULE="website.settings.production", SECRET_KEY="new-key")
    assert "BadSignature" in refused.stderr


def test_check_deploy_reports_no_issues():
    env = {k: v for k, v in os.environ.items() if k not in {*TEST_ONLY, "SECURE_SSL_REDIRECT"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **GOOD},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_redis_url_puts_cache_and_sessions_in_redis_else_a_shared_file_cache():
    code = (
        "from django.conf import global_settings as g; "
        "from website.settings import production as s; "
        "print(s.CACHES['default']['BACKEND']); print(s.CACHES['default']['LOCATION']); "
        "print(getattr(s, 'SESSION_ENGINE', g.SESSION_ENGINE)); print(s.DATABASES['default']['CONN_MAX_AGE']); "
        "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = run(code, REDIS_URL="redis://127.0.0.1:6379/5", DATABASE_CONN_MAX_AGE="120")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django_redis.cache.RedisCache",
        "redis://127.0.0.1:6379/5",
        "django.contrib.sessions.backends.cached_db",
        "120",
        "True",
    ]
    # Without Redis, a cache every worker of the machine shares (never one per process).
    without = run(code)
    assert without.stdout.split()[0] == "django.core.cache.backends.filebased.FileBasedCache"
    assert without.stdout.split()[2] == "django.contrib.sessions.backends.db"


HEADERS_SCRIPT = """
import sys, types
import django
django.setup()
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

# A view that needs no database, behind production's whole middleware stack.
probe = types.ModuleType("probe_urls")
probe.urlpatterns = [path("probe/", lambda request: HttpResponse("ok"))]
sys.modules["probe_urls"] = probe
with override_settings(ROOT_URLCONF="probe_urls"):
    c = Client()
    r = c.get("/probe/", secure=True)
    print("status", r.status_code)
    for name in ["Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
                 "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"]:
        print(name + ":", r.get(name))
    plain = c.get("/probe/")
    print("plain", plain.status_code, plain.get("Location"))
"""


def test_security_headers_and_https_redirect():
    result = run(HEADERS_SCRIPT, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "status 200" in out
    assert "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload" in out
    assert "X-Frame-Options: DENY" in out
    assert "X-Content-Type-Options: nosniff" in out
    assert "Referrer-Policy: strict-origin-when-cross-origin" in out
    assert "Cross-Origin-Opener-Policy: same-origin" in out
    assert (
        "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';" in out
    )
    assert "plain 301 https://testserver/probe/" in out


def test_ssl_redirect_can_be_turned_off_for_plain_http_benchmarks():
    result = run(HEADERS_SCRIPT, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr
    assert "plain 301" not in result.stdout


def test_proxy_ssl_header_is_opt_in():
    code = (
        "from website.settings import production as s; "
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    assert run(code).stdout.strip() == "None"
    on = run(code, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert on.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_media_on_s3_compatible_storage_when_a_bucket_is_set():
    code = (
        "from website.settings import production as s; "
        "print(s.STORAGES['default']['BACKEND']); print(s.CSP_POLICY['img-src'])"
    )
    assert "FileSystemStorage" in run(code).stdout
    env = {"AWS_STORAGE_BUCKET_NAME": "pharmacy-media", "MEDIA_URL": "https://media.example/"}
    result = run(code, **env)
    if importlib.util.find_spec("storages") is None:  # the optional .[s3] extra
        assert "django-storages is not installed" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    backend, img_src = result.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert "https://media.example" in img_src
