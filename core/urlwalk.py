"""Every URL of the site, found by walking the resolver: each pattern with a sample path.

The URL-security tests, the no-server-error walk and ``manage.py bench`` share this walk, so
a new view is covered everywhere without anyone listing it. A path parameter takes a sample
value (``1`` for an ``<int:…>``); callers put a real id in its place where they need one.
"""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

SAMPLES = {
    IntConverter: "1",
    UUIDConverter: str(uuid.uuid4()),
    SlugConverter: "x",
    PathConverter: "x",
}


def _sample_route(pattern):
    """A concrete path for a route such as ``locations/<int:pk>/edit/``."""
    route = str(pattern.pattern)
    converters = pattern.pattern.converters
    return re.sub(
        r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>",
        lambda m: SAMPLES.get(type(converters[m["name"]]), "x"),
        route,
    )


def _sample_regex(regex):
    """A concrete path for a regex pattern: each group takes its first alternative or a token."""

    def group(match):
        body = match["body"]
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "1" if "\\d" in body else "x"

    path = re.sub(r"\((?:\?P<\w+>)?(?P<body>[^)?][^)]*)\)", group, regex)
    return path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + _piece(entry))
        elif isinstance(entry, URLPattern):
            yield prefix + _piece(entry), entry


def _piece(entry):
    if hasattr(entry.pattern, "converters") and entry.pattern.__class__.__name__ == "RoutePattern":
        return _sample_route(entry)
    return _sample_regex(entry.pattern.regex.pattern)


def all_urls():
    """``(sample path, ResolverMatch)`` for every URL pattern, in the resolver's order."""
    urls = []
    for path, pattern in _walk(get_resolver()):
        url = "/" + path
        match = resolve(url)  # the sample must lead back to the same view, or the walk is wrong
        if match.func != pattern.callback and match.url_name == pattern.name:
            continue  # a pattern overridden by an earlier one of the same name (walked itself)
        if match.func != pattern.callback:
            raise AssertionError(f"sample {url} resolves elsewhere")
        urls.append((url, match))
    return urls
