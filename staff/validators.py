"""Checks on what people type: ID-card numbers, phone numbers."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadValidator

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


# Uploads are checked by core.uploads.UploadValidator. Historical migrations only (staff 0001,
# facilities 0003) still construct this name; nothing else may use it.
@deconstructible
class ScanValidator(UploadValidator):
    def __init__(self, max_bytes=5 * 1024 * 1024, extensions=(".pdf", ".jpg", ".jpeg", ".png")):
        kinds = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".docx": "docx"}
        super().__init__(kinds=dict.fromkeys(kinds[e] for e in extensions), max_bytes=max_bytes)
