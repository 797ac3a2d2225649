"""Screenshots of each patient-information block, in the editor and on the page, for
docs/editors.md: `make screenshots` (with tests/screenshots.py).

Taken from the general-sale demo product, which uses every such block.
"""

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from catalog.models import ProductPage
from tests.screenshots import ADMIN_PASSWORD, OUT

pytestmark = pytest.mark.browser

BLOCKS = [
    "key_facts",
    "who_can_take",
    "how_to_take",
    "side_effect_frequencies",
    "care_card",
    "pregnancy",
    "storage",
    "ingredients",
    "common_questions",
    "standard_text",
]


def save_element(locator, name):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=path)
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def first_of_each(product):
    """(block type, position, block) of the first block of each type in BLOCKS."""
    seen = {}
    for position, block in enumerate(product.body):
        seen.setdefault(block.block_type, (position, block))
    return [(name, *seen[name]) for name in BLOCKS]


def test_each_block_on_the_page_and_in_the_editor(page, demo):
    product = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    page.set_viewport_size({"width": 900, "height": 1000})
    page.goto(product.url)
    for name, position, _block in first_of_each(product):
        save_element(page.locator(".product__body > *").nth(position), f"block-{name}-page")

    get_user_model().objects.create_superuser("editor", "editor@example.com", ADMIN_PASSWORD)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(f"/admin/pages/{product.pk}/edit/")
    # The editor's sticky header, action bar and minimap would cover the blocks.
    page.add_style_tag(
        content="header, footer, .footer, [data-w-sticky-target], .w-minimap,"
        " .w-minimap__toggle { position: static !important; display: none !important; }"
    )
    for name, _position, block in first_of_each(product):
        editor = page.locator(f"[id='block-{block.id}-content']").locator("xpath=..")
        save_element(editor, f"block-{name}-editor")
