"""Reading WooCommerce's CSV exports: encoding, headers and row numbers.

Rows are numbered as a spreadsheet shows them (the header is row 1), so a
pharmacist can find a reported row in the file they exported.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportAborted

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 1024 * 1024  # one description; the csv module's default is 128 KiB


@dataclass
class Row:
    number: int
    values: dict  # header (as in the file, stripped) -> value

    def get(self, column, default=""):
        """The stripped value of a column, matched without regard to case."""
        value = self.values.get(column)
        if value is None:
            value = self.values.get(column.lower(), default)
        return (value or "").strip()

    def has(self, column):
        return bool(self.get(column))


def read_rows(path, required=(), one_of=()):
    """All data rows of a UTF-8 CSV file (a byte-order mark is fine).

    `required` columns must all be present; of `one_of`, at least one.
    Raises ImportAborted with a message for the person running the import.
    """
    path = Path(path)
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    try:
        names = _column_names(path, next(reader, None), required, one_of)
        return [
            Row(number, _values(names, record))
            for number, record in enumerate(reader, start=2)
            if any(cell.strip() for cell in record)
        ]
    except csv.Error as e:
        raise ImportAborted(f"{path}, row {reader.line_num}: {e}.") from e


def _text(path):
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ImportAborted(f"Cannot read {path}: {e.strerror or e}.") from e
    if size > MAX_FILE_BYTES:
        raise ImportAborted(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportAborted(
            f"{path} is not UTF-8 (first bad byte on line {line}). Export it again as UTF-8."
        ) from e


def _column_names(path, header, required, one_of):
    if not header or not any(h.strip() for h in header):
        raise ImportAborted(f"{path} is empty: the first row must name the columns.")
    names = [h.strip() for h in header]
    lowered = {n.lower() for n in names}
    missing = [c for c in required if c.lower() not in lowered]
    if one_of and not any(c.lower() in lowered for c in one_of):
        missing.append(" or ".join(one_of))
    if missing:
        raise ImportAborted(f"{path} has no {', '.join(repr(m) for m in missing)} column.")
    return names


def _values(names, record):
    """{column: value}, under the column's name and its lower-case name (first one wins)."""
    values = {}
    for name, value in zip(names, record, strict=False):
        values.setdefault(name, value)
        values.setdefault(name.lower(), value)
    return values
