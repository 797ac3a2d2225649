"""What search engines and link previews read: titles, meta tags, sitemap.xml, robots.txt."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from catalog.models import ProductPage
from tests.factories import ImageFactory, ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class HeadParser(HTMLParser):
    """Collects <title>, <meta> and <link rel> from a page's head."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta = {}
        self.links = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("name") or attrs.get("property")
            assert key not in self.meta, f"{key} appears twice"
            self.meta[key] = attrs["content"]
        elif tag == "link" and "rel" in attrs:
            self.links.setdefault(attrs["rel"], []).append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def test_product_page_title_description_canonical_and_open_graph(client, product_index):
    product = ProductPageFactory(
        parent=product_index, title="Baclofen 40 mg", summary="Eases severe muscle stiffness."
    )
    page = head(client, product.url)
    assert page.title == "Baclofen 40 mg | Formulary Pharmacy"
    assert page.meta["description"] == "Eases severe muscle stiffness."
    assert page.links["canonical"] == ["http://localhost/products/baclofen-40-mg/"]
    assert page.meta["og:title"] == "Baclofen 40 mg"
    assert page.meta["og:description"] == "Eases severe muscle stiffness."
    assert page.meta["og:url"] == "http://localhost/products/baclofen-40-mg/"
    assert page.meta["og:type"] == "product"
    assert page.meta["og:site_name"] == "Formulary Pharmacy"
    assert "og:image" not in page.meta  # no image set: no empty or invented one
    assert page.meta["twitter:card"] == "summary"


def test_search_title_and_description_win_over_title_and_summary(client, product_index):
    product = ProductPageFactory(
        parent=product_index,
        title="Baclofen 40 mg",
        seo_title="Baclofen 40 mg tablets for spasticity",
        search_description="Written for search results.",
    )
    page = head(client, product.url)
    assert page.title == "Baclofen 40 mg tablets for spasticity | Formulary Pharmacy"
    assert page.meta["description"] == "Written for search results."
    assert page.meta["og:title"] == "Baclofen 40 mg tablets for spasticity"
    assert page.meta["og:description"] == "Written for search results."


def test_open_graph_image_is_an_absolute_rendition_of_the_product_image(client, product_index):
    image = ImageFactory(title="Baclofen 40 mg pack")
    product = ProductPageFactory(parent=product_index, image=image)
    page = head(client, product.url)
    assert page.meta["og:image"].startswith("http://testserver/media/images/")
    assert page.meta["og:image"].endswith(".jpg")
    assert page.meta["og:image:alt"] == "Baclofen 40 mg pack"
    assert page.meta["twitter:card"] == "summary_large_image"


def test_home_and_index_describe_themselves_from_their_intro(client, home, product_index):
    home.intro = "<p>Checked information about <b>medicines</b>.</p>"
    home.save_revision().publish()
    page = head(client, "/")
    assert page.meta["description"] == "Checked information about medicines."
    assert page.links["canonical"] == ["http://localhost/"]
    assert page.meta["og:type"] == "website"

    index = head(client, product_index.url)
    assert "description" not in index.meta  # no intro, no search description: nothing invented
    assert index.links["canonical"] == ["http://localhost/products/"]


def test_filtered_and_paginated_listing_is_its_own_canonical(client, product_index):
    ProductCategoryFactory(name="Muscle relaxants", slug="muscle-relaxants")
    for _ in range(13):
        ProductPageFactory(parent=product_index)
    assert head(client, "/products/?page=2&utm_source=x").links["canonical"] == [
        "http://localhost/products/?page=2"
    ]
    assert head(client, "/products/?category=muscle-relaxants").links["canonical"] == [
        "http://localhost/products/?category=muscle-relaxants"
    ]


def test_breadcrumbs_link_home_and_products(client, product_index):
    product = ProductPageFactory(parent=product_index, title="Baclofen 40 mg")
    html = client.get(product.url).content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<li><a href="/">Formulary Pharmacy</a></li>' in html
    assert '<li><a href="/products/">Products</a></li>' in html
    assert '<a href="/products/baclofen-40-mg/" aria-current="page">Baclofen 40 mg</a>' in html


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


def test_sitemap_lists_every_live_product_and_no_draft(client, product_index):
    live = [ProductPageFactory(parent=product_index) for _ in range(3)]
    draft = ProductPageFactory(parent=product_index, live=False)
    unpublished = ProductPageFactory(parent=product_index)
    unpublished.unpublish()

    locations = sitemap_locations(client)
    assert "http://localhost/" in locations
    assert "http://localhost/products/" in locations
    for product in live:
        assert f"http://localhost/products/{product.slug}/" in locations
    assert f"http://localhost/products/{draft.slug}/" not in locations
    assert f"http://localhost/products/{unpublished.slug}/" not in locations
    assert len([loc for loc in locations if loc.count("/") == 5]) == 3
    assert ProductPage.objects.live().count() == 3


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_cart(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cart/" in lines
    assert "Disallow: /api/" in lines  # the read API is for apps, not search results
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


def test_favicon_ico_is_served_and_every_page_links_an_icon(client, home, settings):
    settings.WHITENOISE_USE_FINDERS = True  # static files as served, without collectstatic
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/img/favicon.ico"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    icon = client.get(response.url)
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get(home.url).content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert links == ["/static/img/favicon.ico", "/static/img/favicon.svg"]
    svg = client.get(links[1])
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")


def test_an_unknown_address_is_a_404_in_the_sites_layout_kept_out_of_search(client, home):
    response = client.get("/products/no-such-medicine/")
    assert response.status_code == 404
    html = response.content.decode()
    parser = HeadParser()
    parser.feed(html)
    assert parser.title.startswith("Page not found | ")
    assert parser.meta["robots"] == "noindex"
    assert "canonical" not in parser.links
    assert '<main id="main"' in html  # the site's header, main landmark and footer
    assert '<a href="/products/">Browse our medicines</a>' in html
    assert "site-footer" in html
