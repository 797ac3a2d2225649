"""The page cache: public pages stored whole, for every visitor alike (docs/caching.md).

* generation.py: the keys, and the generation that one invalidation rule renews;
* invalidation.py: the rule: any content change, after its commit, renews the
  generation and bans every page from the front-end caches (Varnish, a CDN);
* middleware.py: the embedded cache (Django's configured cache) and the
  Cache-Control / Vary headers every response gets;
* wagtail_hooks.py: which responses are public pages.
"""
