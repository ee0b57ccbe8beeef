"""Documents: a record rendered for paper, as HTML for the browser's print and as PDF.

One template per document (``templates/<app>/documents/<name>.html``) extends
``documents/base.html``, which gives every document its letterhead (company and property),
title and number, signature and date lines, page numbers and one stylesheet whose every
font stack names a CJK font. The views are ``core.views.documents``; an app declares a
document as a subclass and gets its two URLs from ``core.urlhelpers.document_urls``.

PDFs are made on the server by WeasyPrint, which needs Pango and a CJK font (Debian:
``apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk``). It is imported only
when a PDF is asked for: without it the site runs, the HTML print view works, and the PDF
link says what to install.
"""

from __future__ import annotations

import functools
import logging

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
)


@functools.cache
def _weasyprint():
    """The weasyprint module, or the reason it cannot be used (a string)."""
    try:
        import weasyprint
    except ImportError as exc:  # not installed
        return f"WeasyPrint is not installed ({exc})"
    except OSError as exc:  # installed, but Pango (a C library) is missing
        return f"WeasyPrint cannot load Pango ({exc})"
    # Importing WeasyPrint makes Pillow accept truncated images in the whole process, and
    # the upload checks (core.uploads) must refuse a cut photo: Pillow's default again.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def pdf_unavailable() -> str | None:
    """None when PDFs can be made here; otherwise what is missing and what to install."""
    module = _weasyprint()
    if isinstance(module, str):
        return _("PDF is not available on this server: %(reason)s. To enable it: %(hint)s.") % {
            "reason": module,
            "hint": INSTALL_HINT,
        }
    return None


def _refuse_fetch(url, *args, **kwargs):
    """Documents are self-contained: WeasyPrint fetches nothing (no file:, no network)."""
    raise ValueError(f"Documents load no external resources ({url[:40]})")


def render_pdf(html: str) -> bytes:
    """The PDF of a document's HTML (call :func:`pdf_unavailable` first)."""
    weasyprint = _weasyprint()
    if isinstance(weasyprint, str):
        raise RuntimeError(weasyprint)
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def css_string(text) -> str:
    """``text`` as a CSS string literal (for ``content:`` in ``@page`` boxes), safe to put
    inside a ``<style>`` element: quotes, backslashes and ``<`` are escaped the CSS way."""
    escaped = (
        str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    )
    return mark_safe(f'"{escaped}"')  # escaped above


def page_counter_content(template) -> str:
    """A CSS ``content`` value from a translated "Page {page} of {pages}": the placeholders
    become the page counters, the words stay in the reader's language."""
    parts, rest = [], str(template)
    while rest:
        positions = [(rest.find(key), key) for key in ("{page}", "{pages}") if key in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, key = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append("counter(page)" if key == "{page}" else "counter(pages)")
        rest = rest[index + len(key) :]
    return mark_safe(" ".join(parts))  # each piece is a css_string
