"""A one-line progress bar for long imports, drawn only on a terminal."""

import time

from django.core.management.base import OutputWrapper


class ProgressBar:
    """`with ProgressBar(stream, total, "products") as bar: bar.advance()`.

    Draws on `stream` only when it is a terminal and the job is big enough to
    wait for, so logs and tests get no control characters.
    """

    WIDTH = 30
    MIN_TOTAL = 50
    MIN_INTERVAL = 0.1  # seconds between redraws

    def __init__(self, stream, total, label):
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and total >= self.MIN_TOTAL
        self.stream, self.total, self.label = stream, total, label
        self.done = 0
        self._drawn_at = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self._draw()
            self._write("\n")

    def advance(self, n=1):
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._drawn_at >= self.MIN_INTERVAL or self.done >= self.total):
            self._drawn_at = now
            self._draw()

    def _draw(self):
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self._write(f"\r[{bar}] {self.done}/{self.total} {self.label}")

    def _write(self, text):
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")  # no newline per redraw
        else:
            self.stream.write(text)
        self.stream.flush()
