"""A WooCommerce description's HTML -> the product page's typed section blocks.

Shops write descriptions two ways: with real headings (<h2>/<h3>), or, like the
page Formulary was modelled on, as paragraphs that open with a heading and a
colon ("Uses and Indications: Baclofen is ..."). Either way the heading picks
the block type, so an API consumer (or the page) knows what each section is.

Nothing is guessed from prose: a list becomes a block's list (conditions, side
effects) only where the source has one; otherwise the text stays rich text and
the editor completes the block during medical sign-off.
"""

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.utils.html import escape
from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter
from wagtail.whitelist import check_url

from catalog.blocks import SECTION_FEATURES

from .patient_sections import PATIENT_HEADINGS, patient_block

HEADING_MAX = 80  # SectionBlock.heading
LIST_ITEM_MAX = 120  # the CharBlocks in the uses / side-effects lists

# Dropped with their content: never text a reader should see.
DISCARD = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form"}
SECTION_HEADINGS = {"h1", "h2", "h3"}
MINOR_HEADINGS = {"h4", "h5", "h6"}
BLOCK_TAGS = {
    "p",
    "ul",
    "ol",
    "table",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "hr",
    "address",
    *SECTION_HEADINGS,
    *MINOR_HEADINGS,
}

# "Uses and Indications: text" - a short capitalised phrase, a colon, then the text.
COLON_HEADING = re.compile(r"^\s*([A-Z][^.:;!?\n]{0,78}[^.:;!?\s])\s*:(?:\s+|$)")
COLON_HEADING_MAX_WORDS = 8
# "Common side effects include: ..." introduces a list; it is not a heading.
NOT_A_HEADING = re.compile(
    r"\b(include|includes|including|are|is|was|were|as follows|such as|e\.g|i\.e|like)$", re.I
)

# (block type, pattern on the heading), first match wins: "Side effects and
# precautions" is about side effects, "What is X used for?" about its uses.
BLOCK_FOR_HEADING = [
    *PATIENT_HEADINGS,
    ("side_effects", r"side[\s-]*effect|adverse|precaution"),
    ("interactions", r"interact"),
    ("dosage", r"dosage|\bdos(e|es|ing)\b|administration|how to (take|use)|directions"),
    ("uses", r"\buses?\b|indication|used (for|to)"),
    ("mechanism", r"how (it|does .*) work|mechanism|pharmacology|mode of action"),
    ("efficacy", r"efficacy|effectiveness|benefit"),
    ("conclusion", r"conclusion|summary|in short|final thoughts"),
    ("warning", r"warning|caution"),
    ("overview", r"overview|understanding|introduc|about\b|what is"),
]

SERIOUS = re.compile(r"serious|severe|emergency|immediate|straight away|urgent|rare", re.I)
INTERACTION_ITEM = re.compile(r"^(.{1,120}?)\s*(?::|\s[-\u2013\u2014]\s)\s*(.{1,300})$", re.S)

_converter = DbHTMLConverter(SECTION_FEATURES)


def block_type_for(heading):
    """The body block type a section heading stands for ("section" when unknown)."""
    text = heading.lower()
    for block_type, pattern in BLOCK_FOR_HEADING:
        if re.search(pattern, text):
            return block_type
    return "section"


def clean_rich_text(html):
    """HTML limited to the section editor's features (bold, italic, lists, links).

    Uses Wagtail's own whitelister for the features, so what is stored is what
    the editor would have produced; loose text is wrapped in paragraphs.
    """
    soup = BeautifulSoup(html or "", "html.parser")
    _discard(soup)
    cleaned, _removed = _converter.clean(
        "".join(str(node) for node in _paragraphs(soup, _flatten(soup), keep_headings=False))
    )
    # Unclosed tags in the source can nest paragraphs; the editor cannot.
    tree = BeautifulSoup(cleaned, "html.parser")
    nested = [p for p in tree.find_all("p") if p.find_parent("p")]
    if nested:
        for p in nested:
            p.insert_before(" ")
            p.unwrap()
        cleaned = tree.decode(formatter=escape)
    # Paragraphs emptied by the whitelist (e.g. one that only held an image).
    return re.sub(r"<p>(\s|<br/?>)*</p>", "", cleaned).strip()


def plain_text(html):
    """Text of an HTML fragment, whitespace collapsed (for the page summary)."""
    soup = BeautifulSoup(html or "", "html.parser")
    _discard(soup)
    for tag in soup.find_all([*BLOCK_TAGS, "br", "li", "td", "th"]):
        tag.insert_after(" ")  # words in separate blocks stay separate
    return " ".join(soup.get_text().split())


@dataclass
class Section:
    heading: str | None
    nodes: list = field(default_factory=list)


@dataclass
class ParsedBody:
    blocks: list  # StreamField value: [(block type, value), ...]
    notes: list  # things the editor should know, in the pharmacy's words


def description_to_blocks(html):
    """Split a description into section blocks; return them with notes for the editor."""
    soup = BeautifulSoup(html or "", "html.parser")
    _discard(soup)
    nodes = _paragraphs(soup, _flatten(soup))
    sections = _sections(nodes)
    blocks, notes = [], []
    for section in sections:
        if section.heading is None:
            heading, block_type = "Overview", "overview"
        else:
            heading, block_type = section.heading, block_type_for(section.heading)
        patient = patient_block(block_type, heading, section.nodes, _html)
        block_type, value = patient or (
            block_type,
            _block_value(block_type, heading, section.nodes),
        )
        if value is None:
            notes.append(f"The section '{heading}' has no text and was left out.")
            continue
        blocks.append((block_type, value))
    return ParsedBody(blocks, notes)


# Parsing ------------------------------------------------------------------


def _discard(soup):
    """Drop what must never reach a reader: scripts, comments, unsafe or empty links."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(DISCARD):
        tag.decompose()
    for tag in soup.find_all(attrs={"data-rows": True}):
        del tag["data-rows"]  # our own marker for tables turned into lists (see _table_as_list)
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        if not href or check_url(href) is None:
            link.unwrap()


def _is_block(node):
    return isinstance(node, Tag) and node.name in BLOCK_TAGS


def _flatten(container):
    return _flatten_nodes(list(container.children))


def _flatten_nodes(nodes):
    """The content as a flat list of block tags and inline nodes (None = paragraph break).

    Wrappers (div, section, blockquote, a <p> that wrongly holds a list) are
    opened up, so headings nested in them still split sections; an unclosed
    heading that swallowed the content after it gives that content back.
    """
    flat = []
    for node in nodes:
        if isinstance(node, Tag) and node.name in {"ul", "ol", "table", "hr", "pre"}:
            flat.append(node)
        elif isinstance(node, Tag) and node.name in SECTION_HEADINGS | MINOR_HEADINGS:
            children = list(node.children)
            first_block = next((i for i, c in enumerate(children) if _is_block(c)), None)
            flat.append(node)
            if first_block is not None:
                swallowed = [c.extract() for c in children[first_block:]]
                flat.append(None)
                flat.extend(_flatten_nodes(swallowed))
                flat.append(None)
        elif isinstance(node, Tag) and node.name in BLOCK_TAGS:
            if node.name == "p" and not any(_is_block(child) for child in node.children):
                flat.append(node)
            else:
                # A paragraph boundary before and after the wrapper's content.
                flat.append(None)
                flat.extend(_flatten(node))
                flat.append(None)
        else:
            flat.append(node)
    return flat


def _paragraphs(soup, flat, keep_headings=True):
    """Group loose inline content into <p>s (a blank line ends a paragraph, as in
    WordPress); turn minor headings into bold paragraphs and tables into lists."""
    result, run = [], []

    def close_run():
        _append_paragraph(soup, run, result)
        run.clear()

    for node in flat:
        if node is None:
            close_run()
        elif isinstance(node, NavigableString):
            for i, part in enumerate(_text_paragraphs(node)):
                if i:
                    close_run()
                run.extend(part)
        elif node.name in BLOCK_TAGS:
            close_run()
            block = _block_as_rich_text(soup, node, keep_headings)
            if block is not None:
                result.append(block)
        else:
            run.append(node)
    close_run()
    return [n for n in result if n.get_text().strip()]


def _append_paragraph(soup, run, result):
    """The inline nodes of `run` as one <p> on `result`, unless there is nothing to read."""
    if any(_has_content(n) for n in run):
        p = soup.new_tag("p")
        for node in run:
            p.append(node)
        result.append(p)


def _text_paragraphs(string):
    """The string's paragraphs (split at blank lines), each as a list of 0 or 1 strings."""
    return [
        [NavigableString(part.replace("\n", " "))] if part else []
        for part in re.split(r"\n\s*\n", str(string))
    ]


def _has_content(node):
    if isinstance(node, NavigableString):
        return bool(node.strip())
    return bool(node.get_text().strip()) or node.name == "a"


def _block_as_rich_text(soup, node, keep_headings):
    """A block-level tag as the section editor can hold it (None for a rule)."""
    if node.name in MINOR_HEADINGS or (node.name in SECTION_HEADINGS and not keep_headings):
        p, b = soup.new_tag("p"), soup.new_tag("b")
        b.string = node.get_text(" ", strip=True)
        p.append(b)
        return p
    if node.name == "table":
        return _table_as_list(soup, node)
    if node.name == "pre":
        p = soup.new_tag("p")
        p.string = node.get_text()
        return p
    return None if node.name == "hr" else node


def _table_rows(table):
    rows = []
    for tr in table.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        if any(cells):
            rows.append(cells)
    return rows


def _table_as_list(soup, table):
    """Tables are not a rich-text feature: keep each row as a list item."""
    ul = soup.new_tag("ul")
    rows = _table_rows(table)
    ul["data-rows"] = json.dumps(rows)  # read by _two_column_rows; the whitelist drops it
    for cells in rows:
        li = soup.new_tag("li")
        li.string = ": ".join(c for c in cells if c)
        ul.append(li)
    return ul


def _colon_heading(node):
    """'Uses and Indications' for <p>Uses and Indications: ...</p>, else None."""
    if not isinstance(node, Tag) or node.name != "p":
        return None
    match = COLON_HEADING.match(node.get_text())
    if not match or len(match.group(1).split()) > COLON_HEADING_MAX_WORDS:
        return None
    if NOT_A_HEADING.search(match.group(1)):
        return None
    return match


def _bold_heading(node):
    """<p><strong>Dosage</strong></p>: a paragraph that is only a short bold phrase."""
    if not isinstance(node, Tag) or node.name != "p":
        return None
    children = [c for c in node.children if not (isinstance(c, NavigableString) and not c.strip())]
    if len(children) == 1 and isinstance(children[0], Tag) and children[0].name in {"b", "strong"}:
        text = children[0].get_text(" ", strip=True).rstrip(":").strip()
        if 0 < len(text) <= HEADING_MAX and len(text.split()) <= COLON_HEADING_MAX_WORDS:
            return text
    return None


def _sections(nodes):
    """Split the flat content at headings. Real <h1>-<h3> headings win; without
    them, "Heading: text" paragraphs and bold-only paragraphs are headings."""
    for node in nodes:
        # A "heading" that reads like a sentence is a paragraph someone styled big.
        if isinstance(node, Tag) and node.name in SECTION_HEADINGS:
            text = " ".join(node.get_text(" ").split())
            if text.endswith(".") or len(text) > HEADING_MAX:
                node.name = "p"
    has_real_headings = any(isinstance(n, Tag) and n.name in SECTION_HEADINGS for n in nodes)
    sections = [Section(None)]
    for node in nodes:
        if isinstance(node, Tag) and node.name in SECTION_HEADINGS:
            sections.append(Section(_heading_text(node.get_text(" ", strip=True))))
            continue
        if not has_real_headings:
            bold = _bold_heading(node)
            if bold:
                sections.append(Section(_heading_text(bold)))
                continue
            match = _colon_heading(node)
            if match:
                sections.append(Section(_heading_text(match.group(1))))
                _drop_leading_text(node, match.end())
                if node.get_text().strip():
                    sections[-1].nodes.append(node)
                continue
        sections[-1].nodes.append(node)
    return [s for s in sections if s.heading is not None or s.nodes]


def _heading_text(text):
    text = " ".join(text.split()).rstrip(":").strip() or "Section"
    if len(text) > HEADING_MAX:
        text = text[: HEADING_MAX - 1].rsplit(" ", 1)[0] + "…"
    return text


def _drop_leading_text(tag, count):
    """Remove the first `count` characters of the tag's text, keeping its markup."""
    for string in list(tag.find_all(string=True)):
        if count <= 0:
            break
        text = str(string)
        if len(text) <= count:
            count -= len(text)
            string.extract()
        else:
            string.replace_with(NavigableString(text[count:].lstrip()))
            count = 0
    # A <strong> that only held the heading is empty now.
    for inline in tag.find_all(["b", "strong", "i", "em", "span"]):
        if not inline.get_text().strip():
            inline.decompose()


# Mapping to block values --------------------------------------------------


def _html(nodes):
    return clean_rich_text("".join(str(n) for n in nodes))


def _list_items(node):
    """The plain-text items of a <ul>/<ol>, or None if any would not fit a list block."""
    items = [" ".join(li.get_text(" ").split()) for li in node.find_all("li", recursive=False)]
    items = [i for i in items if i]
    if not items or any(len(i) > LIST_ITEM_MAX for i in items):
        return None
    return items


def _is_list(node):
    return isinstance(node, Tag) and node.name in {"ul", "ol"}


def _two_column_rows(node, first_max, second_max):
    rows = isinstance(node, Tag) and json.loads(node.get("data-rows") or "null")
    if not rows or any(len(r) != 2 for r in rows):
        return None
    if any(len(a) > first_max or len(b) > second_max or not a or not b for a, b in rows):
        return None
    return rows


def _take(rest, predicate):
    """The first truthy predicate(node) among `rest`, that node removed from `rest`."""
    for node in rest:
        found = predicate(node)
        if found:
            rest.remove(node)
            return found
    return None


def _uses_value(heading, rest):
    conditions = _take(rest, lambda n: _is_list(n) and _list_items(n))
    return {"heading": heading, "conditions": conditions or [], "intro": _html(rest)}


def _side_effects_value(heading, rest):
    """The first list after a "serious ..." lead-in is the serious side effects; the first
    other list the common ones."""
    nodes = list(rest)
    common, serious = [], []
    for i, node in enumerate(list(nodes)):
        items = _is_list(node) and _list_items(node)
        if not items:
            continue
        lead_in = nodes[i - 1] if i and isinstance(nodes[i - 1], Tag) else None
        before = lead_in.get_text().strip() if lead_in else ""
        if SERIOUS.search(before) and not serious:
            serious = items
            if before.endswith(":") and lead_in in rest:
                # "Get help straight away if you have:" - the block's template says it.
                rest.remove(lead_in)
        elif not common:
            common = items
        else:
            continue
        rest.remove(node)
    return {
        "heading": heading,
        "intro": _html(rest),
        "common": common,
        "serious": serious,
        "precautions": "",
    }


def _interactions_value(heading, rest):
    pairs = _take(rest, _interaction_pairs)
    interactions = [{"substance": s, "effect": e} for s, e in pairs or []]
    return {"heading": heading, "intro": _html(rest), "interactions": interactions}


def _efficacy_value(heading, rest):
    rows = _has_text_besides_tables(rest) and _take(rest, lambda n: _two_column_rows(n, 60, 120))
    key_facts = [{"label": a, "value": b} for a, b in rows or []]
    return {"heading": heading, "text": _html(rest), "key_facts": key_facts}


def _dosage_value(heading, rest):
    rows = _has_text_besides_tables(rest) and _take(rest, lambda n: _two_column_rows(n, 80, 120))
    schedule = [{"when": a, "dose": b} for a, b in rows or []]
    return {"heading": heading, "text": _html(rest), "schedule": schedule}


def _warning_value(heading, rest):
    return {"title": heading[:120], "text": _html(rest)}


def _text_value(heading, rest):
    return {"heading": heading, "text": _html(rest)}


# Block type (from BLOCK_FOR_HEADING) -> the function that builds its value from the
# section's nodes (a list it may take nodes from); any other type is a heading and rich text.
BLOCK_VALUE_BUILDERS = {
    "uses": _uses_value,
    "side_effects": _side_effects_value,
    "interactions": _interactions_value,
    "efficacy": _efficacy_value,
    "dosage": _dosage_value,
    "warning": _warning_value,
}


def _block_value(block_type, heading, nodes):
    """The block's value for one section; None when the section is empty."""
    if not nodes:
        return None
    build = BLOCK_VALUE_BUILDERS.get(block_type, _text_value)
    value = build(heading, list(nodes))
    if not any(v for k, v in value.items() if k not in {"heading", "title"}):
        return None
    return value


def _has_text_besides_tables(nodes):
    """The block's text is required: a table alone stays in it rather than in the table field."""
    return any(not (isinstance(n, Tag) and n.get("data-rows")) for n in nodes)


def _interaction_pairs(node):
    """[(substance, effect)] from a two-column table or a list of 'X: effect' items."""
    rows = _two_column_rows(node, 120, 300)
    if rows:
        return rows
    if not _is_list(node):
        return None
    pairs = []
    for li in node.find_all("li", recursive=False):
        match = INTERACTION_ITEM.match(" ".join(li.get_text(" ").split()))
        if not match:
            return None
        pairs.append((match.group(1).strip(), match.group(2).strip()))
    return pairs or None
