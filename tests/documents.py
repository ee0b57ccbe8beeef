"""Shared helpers for the tests of documents (core.documents): PDFs read back as text."""

import io
import os

import pytest

from core.documents import pdf_unavailable


def needs_pdf():
    """Skip a test that makes real PDFs when this machine cannot, unless the environment
    requires them (HOUQIN_REQUIRE_PDF=1, as in CI): then the test runs, and fails."""
    reason = pdf_unavailable()
    if reason and not os.environ.get("HOUQIN_REQUIRE_PDF"):
        pytest.skip(reason)


def pdf_text(response):
    """The text of a PDF response, every page, as a reader would copy it."""
    from pypdf import PdfReader

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def compact(text):
    """Text without the spaces and line breaks a PDF's layout puts between characters."""
    return "".join(text.split())
