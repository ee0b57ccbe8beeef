"""Checks on what people type or upload: ID-card numbers, phone numbers, scanned files."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def validate_id_number(value):
    """An 18-character resident ID number (GB 11643-1999) with a correct check character."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise ValidationError(
            _("Enter an 18-character ID-card number (17 digits and a digit or X)."),
            code="format",
        )
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK_CHARS[total % 11] != value[17]:
        raise ValidationError(
            _("This ID-card number is not valid: its check character does not match."),
            code="checksum",
        )


def mask_id_number(value):
    """Show the first four and last four characters only: 1101**********1234."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


phone_validator = RegexValidator(
    r"^[0-9+() -]{5,30}$", _("Enter a phone number: digits, spaces, +, - and brackets.")
)

# File signatures of what a scanned certificate may be.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
}
LABELS = {".pdf": "PDF", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG", ".docx": "Word (.docx)"}


@deconstructible
class ScanValidator:
    """A PDF, JPEG or PNG no larger than ``max_bytes``, whose content matches its extension."""

    def __init__(self, max_bytes=5 * 1024 * 1024, extensions=(".pdf", ".jpg", ".jpeg", ".png")):
        self.max_bytes = max_bytes
        self.extensions = tuple(extensions)

    def __call__(self, file):
        extension = Path(file.name).suffix.lower()
        if extension not in self.extensions:
            raise ValidationError(
                _("Upload one of these kinds of file: %(kinds)s.")
                % {"kinds": ", ".join(sorted({LABELS[e] for e in self.extensions}))},
                code="extension",
            )
        if file.size > self.max_bytes:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(self.max_bytes)},
                code="size",
            )
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(8)
        file.seek(position)
        if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
            raise ValidationError(
                _("The file's content is not a %(kind)s.") % {"kind": extension[1:].upper()},
                code="content",
            )

    def __eq__(self, other):
        return (
            isinstance(other, ScanValidator)
            and other.max_bytes == self.max_bytes
            and other.extensions == self.extensions
        )
