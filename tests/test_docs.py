"""The README a newcomer reads in ten minutes, and documentation whose links all lead somewhere."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = ("http://", "https://", "mailto:")


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


def broken_links(path):
    broken = []
    for target in LINK.findall(path.read_text()):
        if target.startswith(EXTERNAL):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(target)
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(target)
    return broken


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_every_relative_link_resolves(path):
    assert broken_links(path) == []


def test_the_link_check_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other page\n")
    page.write_text("[a](other.md#other-page) [b](missing.md) [c](other.md#nowhere) [d](https://x)")
    assert broken_links(page) == ["missing.md", "other.md#nowhere"]


def test_the_readme_is_short_and_starts_with_the_two_commands():
    text = README.read_text()
    assert len(text.encode()) <= 12 * 1024
    assert "make run " in text.split("```")[1] and "make test " in text.split("```")[1]


def test_every_doc_is_linked_from_the_readme():
    linked = {
        (README.parent / t.partition("#")[0]).resolve() for t in LINK.findall(README.read_text())
    }
    assert [d.name for d in DOCS if d.resolve() not in linked] == []
