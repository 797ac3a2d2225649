"""Logging filters (used by LOGGING in the settings)."""

import logging


class OneLineWarning(logging.Filter):
    """Log the record as a one-line warning: no traceback.

    For the bad Host headers every public server receives from scanners: Django answers
    400 (right) and logs an ERROR with a full traceback each time, which drowns real
    errors and, with ADMINS set, emails each one. The warning is enough.
    """

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        return True
