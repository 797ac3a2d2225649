"""A minimal PDF writer: a few pages of plain text in Helvetica, for the demo leaflet.

Enough for a valid, readable PDF 1.4 file without a PDF library (the demo needs one
small file; real leaflets are uploaded by editors).
"""


def _escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(title, lines):
    commands = ["BT", "/F1 18 Tf", "72 770 Td", f"({_escape(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        commands += [f"({_escape(line)}) Tj", "0 -16 Td"]
    commands.append("ET")
    return "\n".join(commands).encode("latin-1", "replace")


def text_pdf(title, lines):
    """The bytes of a one-page A4 PDF with `title` and `lines` (each short, Latin-1)."""
    stream = _page_stream(title, lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + _escape(title).encode("latin-1", "replace") + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
