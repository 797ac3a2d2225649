from django import template

from website.pagecache import store

register = template.Library()


@register.simple_tag
def page_version(page):
    """A token that changes whenever the page cache drops `page` (publish, reviews moderated,
    pack sizes, settings...): a key for {% cache %} fragments that must change with it."""
    generation = store.current_token(store.GENERATION_KEY)
    return f"{generation}.{store.current_token(store.page_version_key(page.pk))}"
