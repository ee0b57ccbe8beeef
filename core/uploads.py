"""Uploaded photos and documents, handled one way in every app.

- ``UploadValidator`` judges a file by its content, never by its name: its size, that it is
  one of the kinds the field takes, and that it really is one. An image is decoded in full
  (Pillow), a PDF is parsed (pypdf), a Word file is opened as the zip it must be.
- ``normalise_uploads`` runs before any record is saved: a new file in a field that carries an
  ``UploadValidator`` is stored as checked. Images are re-encoded (orientation applied, then
  EXIF with its GPS position dropped; shrunk to ``LONGEST_SIDE``), so whatever trailed or hid
  in the upload is gone; documents are kept as uploaded. Either way the stored name ends in
  the real kind's extension. It is a pre_save receiver rather than a form's ``clean`` or a
  field subclass so that every path that saves a record (model forms, services that assign a
  photo by hand, admin, the shell) goes through it, whatever the field's class.
- ``file_response`` serves a stored file from a view that has already checked the user's
  permission and property: a content type of our own detection, ``nosniff``, a
  ``Content-Disposition``. Nothing is ever served under MEDIA_URL.
- A replaced or deleted file leaves storage once its transaction commits (django-cleanup).

Give a record a file by assigning it to the field and saving the record (or through a form).
``FieldFile.save()`` writes straight to storage, before any of this: nothing here uses it.
"""

import functools
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.apps import apps
from django.core import checks
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile, File
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader

from .numbers import join_list

MB = 1024 * 1024
# Phones take 12 to 48 megapixels; more than this is a decompression bomb, not a photo.
MAX_PIXELS = 50_000_000
# Enough to read a nameplate or a meter in a photo, a tenth of a phone photo's bytes.
LONGEST_SIDE = 2048
JPEG_QUALITY = 85
# A Word résumé unzips to a few megabytes; more is a zip bomb.
MAX_UNZIPPED_BYTES = 50 * MB
WORD_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    content_type: str
    extension: str
    inline: bool  # shown in the browser; otherwise downloaded


JPEG = Kind("jpeg", "JPG", "image/jpeg", ".jpg", inline=True)
PNG = Kind("png", "PNG", "image/png", ".png", inline=True)
PDF = Kind("pdf", "PDF", "application/pdf", ".pdf", inline=True)
DOCX = Kind(
    "docx",
    "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    inline=False,
)
KINDS = {kind.key: kind for kind in (JPEG, PNG, PDF, DOCX)}

PHOTOS = ("jpeg", "png")
DOCUMENTS = ("pdf", "jpeg", "png")
RESUMES = ("pdf", "docx", "jpeg", "png")

SIGNATURES = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
    (b"PK\x03\x04", DOCX),  # a zip; whether it is a Word document is checked when read
)


def sniff(head):
    """The kind a file's first bytes claim it is, or None."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


@dataclass(frozen=True)
class CheckedFile:
    kind: Kind
    content: bytes  # what is stored: the re-encoded image, or the document as uploaded


class _TooManyPixels(Exception):
    pass


def _reencode_image(data, kind):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG" if kind is JPEG else "PNG"])
            if image.width * image.height > MAX_PIXELS:
                raise _TooManyPixels
            if kind is JPEG:
                # Let the decoder scale a large photo down by 2, 4 or 8 as it reads every
                # block: the whole file is still decoded, in a fraction of the memory.
                image.draft(None, (LONGEST_SIDE, LONGEST_SIDE))
            image.load()
            # Another colour space's profile would be wrong once converted to RGB.
            keep_profile = image.mode in ("RGB", "RGBA", "L", "LA", "P")
            profile = image.info.get("icc_profile") if keep_profile else None
            image = ImageOps.exif_transpose(image)
            if kind is PNG and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info):
                image = image.convert("RGBA")
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
            output = io.BytesIO()
            # No exif= argument: EXIF (camera, time, GPS position) is not written out.
            if kind is JPEG:
                image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=profile)
            else:
                image.save(output, "PNG", icc_profile=profile)
    except (_TooManyPixels, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The picture is too large: at most %(limit)d megapixels."),
            code="pixels",
            params={"limit": MAX_PIXELS // 1_000_000},
        ) from exc
    except Exception as exc:  # Pillow's decoders raise many kinds of error on broken input
        raise ValidationError(
            _("This picture cannot be read: the file is damaged or not really a %(kind)s."),
            code="damaged",
            params={"kind": kind.label},
        ) from exc
    return output.getvalue()


def _has_scripts(reader):
    """Whether the PDF runs JavaScript or launches programs when opened (a scan or a
    résumé never needs to)."""
    root = reader.root_object
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    additional = root.get("/AA")
    additional = additional.get_object() if additional is not None else {}
    for action in [root.get("/OpenAction"), *additional.values()]:
        action = action.get_object() if action is not None else None
        if isinstance(action, dict) and action.get("/S") in ("/JavaScript", "/Launch"):
            return True
    return False


def _check_pdf(data, kind):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # A PDF that only restricts printing or copying opens with an empty password, so it
        # can be read and checked; one that needs a password cannot, nor could colleagues.
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("This PDF is protected by a password. Upload a copy without one."),
                code="encrypted",
            )
        if not len(reader.pages):
            raise ValueError("no pages")
        for page in reader.pages:
            page.mediabox  # noqa: B018  # every page object must be there and readable
        scripted = _has_scripts(reader)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on broken input
        raise ValidationError(
            _("This PDF cannot be read: the file is damaged or not really a PDF."),
            code="damaged",
        ) from exc
    if scripted:
        raise ValidationError(
            _("This PDF runs scripts when opened. Print it to a new PDF and upload that."),
            code="scripted",
        )
    return data


def _check_docx(data, kind):
    not_word = ValidationError(
        _("This file cannot be read as a Word (.docx) document."), code="damaged"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
                raise not_word
            names = {member.filename for member in members}
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise not_word
            # A macro-enabled .docm or a template declares another main part.
            if WORD_MAIN_TYPE not in archive.read("[Content_Types].xml"):
                raise not_word
            if archive.testzip() is not None:
                raise not_word
    except ValidationError:
        raise
    except Exception as exc:  # zipfile raises several kinds of error on broken input
        raise not_word from exc
    return data


READERS = {JPEG: _reencode_image, PNG: _reencode_image, PDF: _check_pdf, DOCX: _check_docx}


def describe_kinds(kinds):
    return join_list(KINDS[key].label for key in kinds)


def pending_file(value):
    """The newly uploaded file in ``value`` (a form's upload or a record's field), or None
    when there is none: empty, or a file already in storage, which was checked when it came
    (files stored before these checks keep working)."""
    if isinstance(value, FieldFile):
        return value.file if value and not value._committed else None
    if isinstance(value, File) and value:
        return value
    return None


@deconstructible
class UploadValidator:
    """A file of one of ``kinds`` (keys of ``KINDS``), at most ``max_bytes`` large, judged
    by its content. Put it on a model's or a form's FileField."""

    def __init__(self, kinds=PHOTOS, max_bytes=8 * MB):
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown kinds of upload: {', '.join(sorted(unknown))}")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, value):
        file = pending_file(value)
        if file is not None:
            self.check(file)

    def check(self, file):
        """The checked file, or a ValidationError that says what is wrong with it. The
        result is remembered on ``file``: a form's check and the save that follows decode
        an image once."""
        key = (self.kinds, self.max_bytes)
        remembered = getattr(file, "_houqin_checked", None)
        if remembered is not None and remembered[0] == key:
            return remembered[1]
        if file.size > self.max_bytes:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                code="size",
                params={
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )
        file.seek(0)
        data = file.read()
        file.seek(0)
        kind = sniff(data[:8])
        if kind is None or kind.key not in self.kinds:
            raise ValidationError(
                _("Upload one of these kinds of file: %(kinds)s."),
                code="kind",
                params={"kinds": describe_kinds(self.kinds)},
            )
        checked = CheckedFile(kind, READERS[kind](data, kind))
        file._houqin_checked = (key, checked)
        return checked

    @property
    def accept(self):
        """For the file input's ``accept`` attribute."""
        return ",".join(KINDS[key].content_type for key in self.kinds)

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and other.kinds == self.kinds
            and other.max_bytes == self.max_bytes
        )

    __hash__ = None


@functools.cache
def upload_fields(model):
    """(field, validator) for each file field of ``model`` that is checked as an upload."""
    found = []
    for field in model._meta.concrete_fields:
        if isinstance(field, FileField):
            for validator in field.validators:
                if isinstance(validator, UploadValidator):
                    found.append((field, validator))
                    break
    return tuple(found)


def stored_name(name, kind):
    """The uploaded name with the extension of what the file really is."""
    stem = PurePosixPath(name or "").stem.strip()[:60] or "upload"
    return f"{stem}{kind.extension}"


def normalise_uploads(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: a new file is checked (again, if nothing validated it) and stored as checked.
    (``bulk_create`` sends no signal: nothing creates uploads in bulk.)"""
    if raw:  # fixtures name files already in storage
        return
    for field, validator in upload_fields(sender):
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname)
        file = pending_file(value)
        if file is None or getattr(file, "_houqin_normalised", False):
            continue
        checked = validator.check(file)
        stored = ContentFile(checked.content, name=stored_name(value.name, checked.kind))
        stored._houqin_normalised = True
        setattr(instance, field.attname, stored)


def check_upload_fields(app_configs=None, models=None, **kwargs):
    """System check: a file field without an UploadValidator would store whatever it is
    given, unchecked and as uploaded."""
    errors = []
    for model in apps.get_models() if models is None else models:
        if model._meta.proxy:
            continue
        checked = {field for field, _validator in upload_fields(model)}
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField) and field not in checked:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} takes files without an UploadValidator.",
                        hint="Give it validators=[core.uploads.UploadValidator(...)].",
                        obj=field,
                        id="core.E301",
                    )
                )
    return errors


class StoredFile:
    """A stored file as an edit form shows it: its name, linked to the view that serves it
    (the record's ``get_file_url(field_name)``), never to MEDIA_URL."""

    def __init__(self, fieldfile):
        self.name = PurePosixPath(fieldfile.name).name
        instance = getattr(fieldfile, "instance", None)
        getter = getattr(instance, "get_file_url", None)
        self.url = getter(fieldfile.field.name) if getter and instance.pk else ""

    def __str__(self):
        return self.name


class UploadInput(forms.ClearableFileInput):
    def is_initial(self, value):
        return isinstance(value, StoredFile)


class UploadFormField(forms.FileField):
    """What model forms and the admin use for a model's upload field (see
    ``upload_formfield``)."""

    widget = UploadInput

    def prepare_value(self, value):
        if isinstance(value, FieldFile) and value:
            return StoredFile(value)
        return value


def upload_formfield(db_field, form_field, widget_class=UploadInput):
    """``form_field`` (made by a model form for ``db_field``) as an UploadFormField: the
    current file linked to its serving view, the file picker offering the kinds it takes."""
    validators = [v for v in db_field.validators if isinstance(v, UploadValidator)]
    attrs = {"accept": validators[0].accept} if validators else {}
    return UploadFormField(
        required=form_field.required,
        label=form_field.label,
        help_text=form_field.help_text,
        disabled=form_field.disabled,
        max_length=form_field.max_length,
        widget=widget_class(attrs=attrs),
    )


def file_response(upload):
    """The stored file ``upload`` (a record's FieldFile) as a response. Call it only from a
    view that has checked the user's permission and the record's property."""
    if not upload:
        raise Http404
    try:
        handle = upload.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    kind = sniff(handle.read(8))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=not (kind and kind.inline),
        filename=PurePosixPath(upload.name).name,
        # Never guessed from the name: a file stored before content checks may be anything.
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
