"""The two ways an import can go wrong: the whole file, or one row."""


class ImportAborted(Exception):
    """Nothing can be imported (unreadable file, missing columns, no products index)."""


class RowError(Exception):
    """One row cannot be imported; the message says why, for the person importing."""
