"""Slugs that must not repeat: page slugs under one index, anchors within one page."""


def first_free(base, taken):
    """`base`, else the first of "base-2", "base-3", ... not in `taken` (which it joins)."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
