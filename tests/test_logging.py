"""What the operator reads in the logs: noise stays one line."""

import logging

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_is_a_one_line_warning_not_an_error(client, caplog, settings):
    settings.ADMINS = [("Operator", "ops@example.com")]  # errors are emailed to them
    with caplog.at_level(logging.INFO):
        response = client.get("/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    record = records[0]
    assert record.levelname == "WARNING" and record.exc_info is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line == (
        "WARNING django.security.DisallowedHost Invalid HTTP_HOST header: 'scanner.example'. "
        "You may need to add 'scanner.example' to ALLOWED_HOSTS."
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert mail.outbox == []  # not emailed to ADMINS as an error


def test_other_security_errors_are_still_errors(client, caplog):
    """Only the Host header noise is quietened."""
    logger = logging.getLogger("django.security.SuspiciousFileOperation")
    with caplog.at_level(logging.INFO):
        try:
            raise ValueError("example")
        except ValueError:
            logger.error("Something suspicious", exc_info=True)
    assert caplog.records[-1].levelname == "ERROR" and caplog.records[-1].exc_info
