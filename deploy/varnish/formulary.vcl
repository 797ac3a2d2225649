# Varnish 7 (Debian's `varnish` package) in front of Formulary's gunicorn servers.
# docs/caching.md explains the design; in short:
# * public pages are the same for every visitor, so cookies are removed from their
#   requests and one copy serves everybody, with or without a cart;
# * they are cached under host + path + the query parameters pages read (page,
#   category, reviews, q), sorted; others (?utm_source=...) are removed;
# * POSTs, the cart, checkout and order status pages, consultations, /visitor/, the admin
#   (and its previews), the API and documents go to the app servers untouched, and
#   Django's `private, no-store` is obeyed;
# * the app bans every page of a host (a PURGE or BAN from an address in `purgers`)
#   after each content change: wagtail.contrib.frontend_cache, HTTPBackend;
# * whole responses are fetched from gunicorn at once (its sync workers are never
#   held by a slow client) and request bodies are read before they are passed on.
vcl 4.1;

import std;

# One app server; for several, declare each and a directors.round_robin() (docs/caching.md).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

# Who may ban: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Any purge drops every page of the host: one rule, like the app's.
        ban("obj.http.X-Formulary-Host == " + req.http.host);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Buffer the body (forms are small) so a slow client never holds a worker.
        std.cache_req_body(1MB);
        return (pass);
    }
    if (req.url ~ "^/(admin|cart|checkout|orders|consultations|visitor|api|documents|_util)(/|\?|$)" || req.http.Authorization) {
        return (pass);
    }
    # A public page or a static file: cookies never change it.
    unset req.http.Cookie;
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:page|category|reviews|q)=)[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_backend_response {
    # Remembered on the object, for bans by host.
    set beresp.http.X-Formulary-Host = bereq.http.host;
    if (beresp.http.Set-Cookie) {
        # Never store a response that sets a cookie.
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Fetch the whole response at once from gunicorn, whatever the client's speed.
    set beresp.do_stream = false;
    set beresp.grace = 30s;
    # Cache-Control decides the rest (the built-in logic: private/no-store is not kept).
}

sub vcl_deliver {
    unset resp.http.X-Formulary-Host;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
