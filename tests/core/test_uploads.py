"""core.uploads: files judged by their content, images re-encoded on save, files served only
through the record's view, and removed from storage with the record."""

import io
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test.utils import isolate_apps
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from core import uploads
from core.uploads import (
    DOCUMENTS,
    MB,
    PHOTOS,
    RESUMES,
    UploadValidator,
    check_upload_fields,
    sniff,
)
from facilities.models import ChecklistKind, ChecklistResult, WorkOrderPhoto
from staff.admin import CandidateAdmin
from staff.models import Candidate, Certificate
from tests.facilities.factories import WorkOrderFactory
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import CandidateFactory, CertificateFactory, EmployeeFactory
from tests.uploads import (
    GPS_IFD,
    ORIENTATION,
    docx,
    docx_bytes,
    gps_exif,
    image_bytes,
    jpeg,
    jpeg_bytes,
    pdf,
    pdf_bytes,
    png,
    png_bytes,
)

PHOTO = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)
DOCUMENT = UploadValidator(kinds=DOCUMENTS, max_bytes=5 * MB)
RESUME = UploadValidator(kinds=RESUMES, max_bytes=5 * MB)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def opened(fieldfile):
    with fieldfile.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def codes(excinfo):
    return [error.code for error in excinfo.value.error_list]


def encrypted_pdf(user_password):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password, "owner", algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def scripted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- what is refused, what is taken ---------------------------------------------------------


class TestContent:
    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("polyglot.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + HTML),
            ("polyglot.png", b"\x89PNG\r\n\x1a\n" + HTML),
            ("page.jpg", HTML),
            ("drawing.jpg", SVG),
            ("drawing.png", b'<?xml version="1.0"?>' + SVG),
            ("script.jpg", b"#!/bin/sh\nrm -rf /\n"),
            ("cut.jpg", jpeg_bytes(size=(64, 64))[:300]),
            ("cut.png", png_bytes(size=(64, 64))[:60]),
            ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            ("empty.jpg", b""),
        ],
    )
    def test_what_is_not_a_whole_photo_is_refused(self, name, content):
        with pytest.raises(ValidationError):
            PHOTO.check(upload(name, content))

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("cv.pdf", HTML),
            ("cv.pdf", SVG),
            ("cv.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
            ("cv.pdf", b"%PDF-1.4 cv"),
            ("cv.pdf", pdf_bytes()[:200]),
            ("cv.pdf", b"MZ\x90\x00 a program"),
            ("cv.docx", b"PK\x03\x04 not a zip at all"),
            ("cv.docx", docx_bytes(document=None)),  # a zip without word/document.xml
            ("cv.docx", docx_bytes(main="vnd.ms-word.document.macroEnabled.main+xml")),
            ("cv.docx", docx_bytes()[:100]),
        ],
        ids=[
            "html",
            "svg",
            "pdf-header-then-html",
            "pdf-header-only",
            "cut-pdf",
            "exe",
            "not-a-zip",
            "zip-without-document",
            "macro-enabled",
            "cut-docx",
        ],
    )
    def test_what_is_not_a_whole_document_is_refused(self, name, content):
        with pytest.raises(ValidationError):
            RESUME.check(upload(name, content))

    def test_a_jpeg_header_followed_by_html_is_refused_as_damaged(self):
        content = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + HTML
        with pytest.raises(ValidationError) as excinfo:
            PHOTO.check(upload("photo.jpg", content))
        assert codes(excinfo) == ["damaged"]

    def test_html_after_a_whole_jpeg_is_gone_once_re_encoded(self):
        checked = PHOTO.check(upload("photo.jpg", jpeg_bytes() + HTML))
        assert checked.kind is uploads.JPEG
        assert b"<script>" not in checked.content
        assert Image.open(io.BytesIO(checked.content)).format == "JPEG"

    def test_the_kind_comes_from_the_content_not_the_name(self):
        assert PHOTO.check(upload("photo.jpg", png_bytes())).kind is uploads.PNG
        assert DOCUMENT.check(upload("scan.png", pdf_bytes())).kind is uploads.PDF

    def test_a_kind_the_field_does_not_take_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            PHOTO.check(pdf())
        assert codes(excinfo) == ["kind"]
        with pytest.raises(ValidationError):
            DOCUMENT.check(docx())  # only résumés take Word files

    def test_the_size_limit(self):
        small = UploadValidator(kinds=PHOTOS, max_bytes=1024)
        assert small.check(jpeg()).kind is uploads.JPEG
        with pytest.raises(ValidationError) as excinfo:
            small.check(upload("big.png", png_bytes() + b"\0" * 1024))
        assert codes(excinfo) == ["size"]

    def test_a_decompression_bomb_is_refused(self, monkeypatch):
        monkeypatch.setattr(uploads, "MAX_PIXELS", 40 * 40)
        assert PHOTO.check(png(size=(40, 40))).kind is uploads.PNG
        with pytest.raises(ValidationError) as excinfo:
            PHOTO.check(png(size=(41, 40)))
        assert codes(excinfo) == ["pixels"]

    def test_pdfs(self):
        assert DOCUMENT.check(pdf(pages=3)).content == pdf_bytes(pages=3)  # stored as uploaded
        # Restrictions only (opens with an empty password): readable, so taken.
        assert DOCUMENT.check(upload("locked.pdf", encrypted_pdf(""))).kind is uploads.PDF
        with pytest.raises(ValidationError) as excinfo:
            DOCUMENT.check(upload("secret.pdf", encrypted_pdf("secret")))
        assert codes(excinfo) == ["encrypted"]
        with pytest.raises(ValidationError) as excinfo:
            DOCUMENT.check(upload("active.pdf", scripted_pdf()))
        assert codes(excinfo) == ["scripted"]

    def test_a_word_resume(self):
        checked = RESUME.check(docx())
        assert checked.kind is uploads.DOCX and checked.content == docx_bytes()

    @pytest.mark.parametrize(
        ("mode", "color", "fmt"),
        [
            ("CMYK", (0, 255, 255, 0), "JPEG"),
            ("L", 128, "JPEG"),
            ("P", 3, "PNG"),
            ("RGBA", (10, 20, 30, 0), "PNG"),
            ("LA", (10, 0), "PNG"),
            ("I;16", 1000, "PNG"),
            ("1", 1, "PNG"),
        ],
    )
    def test_every_colour_mode_is_taken(self, mode, color, fmt):
        checked = PHOTO.check(upload("x", image_bytes(fmt, mode=mode, color=color)))
        image = Image.open(io.BytesIO(checked.content))
        assert image.format == fmt and image.mode in ("RGB", "RGBA", "L")

    def test_the_validator_is_serialised_for_migrations(self):
        path, _args, kwargs = DOCUMENT.deconstruct()
        assert path == "core.uploads.UploadValidator"
        assert kwargs == {"kinds": DOCUMENTS, "max_bytes": 5 * MB}
        assert UploadValidator(**kwargs) == DOCUMENT != PHOTO

    def test_the_historical_name_still_builds_for_old_migrations(self):
        from staff.validators import ScanValidator

        old = ScanValidator(8 * 1024 * 1024, (".jpg", ".jpeg", ".png"))
        assert (old.kinds, old.max_bytes) == (("jpeg", "png"), 8 * MB)
        with pytest.raises(ValidationError):
            old(upload("photo.jpg", b"\xff\xd8\xff" + HTML))

    def test_sniff(self):
        assert sniff(jpeg_bytes()[:8]) is uploads.JPEG
        assert sniff(HTML[:8]) is None


# --- re-encoding on save ----------------------------------------------------------------------


@pytest.mark.django_db
class TestSaving:
    def test_gps_and_other_exif_are_dropped(self):
        original = Image.open(io.BytesIO(jpeg_bytes(exif=gps_exif())))
        assert original.getexif().get_ifd(GPS_IFD)  # the upload does carry a position
        certificate = CertificateFactory(scan=jpeg("scan.jpg", exif=gps_exif()))
        stored = opened(certificate.scan)
        assert stored.format == "JPEG"
        assert not stored.getexif() and "exif" not in stored.info

    def test_a_png_loses_its_exif_too(self):
        certificate = CertificateFactory(scan=png("scan.png", exif=gps_exif()))
        stored = opened(certificate.scan)
        assert stored.format == "PNG" and not stored.getexif()

    def test_the_orientation_is_applied_before_exif_goes(self):
        # 60×20 as the sensor saw it, "rotate 90° clockwise" (6) in EXIF: 20 wide, 60 high.
        upload = jpeg("sideways.jpg", size=(60, 20), exif=gps_exif(orientation=6))
        photo = CertificateFactory(scan=upload).scan
        stored = opened(photo)
        assert stored.size == (20, 60)
        assert ORIENTATION not in stored.getexif()

    def test_a_large_photo_is_shrunk(self):
        certificate = CertificateFactory(scan=jpeg("big.jpg", size=(4000, 3000)))
        assert opened(certificate.scan).size == (2048, 1536)
        small = CertificateFactory(scan=jpeg("small.jpg", size=(800, 600)))
        assert opened(small.scan).size == (800, 600)

    def test_the_stored_name_has_the_real_extension(self):
        certificate = CertificateFactory(scan=upload("证书.jpeg", png_bytes()))
        assert certificate.scan.name.endswith("/证书.png")
        resume = CandidateFactory(resume=upload("cv.pdf", docx_bytes())).resume
        assert resume.name.endswith("/cv.docx")

    def test_a_photo_assigned_by_hand_is_re_encoded(self):
        """The path the checklist and readings forms take: assign, then save."""
        order = WorkOrderFactory()
        step = ChecklistResult.objects.create(
            work_order=order, position=1, text="铭牌照片", kind=ChecklistKind.PHOTO
        )
        step.photo = jpeg("nameplate.jpg", exif=gps_exif())
        step.save()
        step.refresh_from_db()
        assert not opened(step.photo).getexif()

    def test_bad_content_saved_without_validation_is_refused_and_not_stored(self, media):
        certificate = CertificateFactory.build(
            employee=EmployeeFactory(), scan=upload("scan.jpg", b"\xff\xd8\xff" + HTML)
        )
        certificate.type.save()
        certificate.type_id = certificate.type.pk
        with pytest.raises(ValidationError):
            certificate.save()
        assert not Certificate.objects.exists()
        assert stored_files(media) == []

    def test_a_stored_file_is_not_checked_again(self, media):
        """Files stored before these checks keep working: editing the record does not
        refuse them."""
        certificate = CertificateFactory(scan=pdf())
        (media / certificate.scan.name).write_bytes(b"\xff\xd8\xff old upload")
        certificate.refresh_from_db()
        certificate.number = "CHANGED"
        certificate.full_clean()
        certificate.save()


# --- forms: errors in the user's language, nothing half-saved --------------------------------


@pytest.mark.django_db
class TestForms:
    @pytest.fixture
    def home(self):
        return PropertyFactory()

    @pytest.fixture
    def data(self, home):
        from tests.staff.factories import CertificateTypeFactory

        return {
            "employee": EmployeeFactory(property=home).pk,
            "type": CertificateTypeFactory().pk,
            "issued_on": "2025-01-01",
            "expires_on": "2028-01-01",
        }

    @pytest.mark.parametrize(
        ("language", "message"),
        [
            ("en", "Upload one of these kinds of file: PDF, JPG, PNG."),
            ("zh-hans", "请上传以下类型的文件：PDF、JPG、PNG。"),
        ],
    )
    def test_a_refused_upload_is_a_form_error_in_the_users_language(
        self, client, home, data, media, language, message
    ):
        client.force_login(UserFactory(properties=[home], groups=["hr"], language=language))
        response = client.post(
            "/staff/certificates/new/", {**data, "scan": upload("scan.pdf", HTML)}
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["scan"] == [message]
        assert not Certificate.objects.exists()
        assert stored_files(media) == []

    @pytest.mark.parametrize(
        "content",
        [jpeg_bytes(size=(64, 64))[:200], png_bytes(size=(64, 64))[:70], b"\xff\xd8\xff"],
        ids=["cut-jpeg", "cut-png", "jpeg-magic-only"],
    )
    def test_a_broken_photo_is_a_form_error_not_a_500(self, client, home, data, media, content):
        client.force_login(UserFactory(properties=[home], groups=["hr"]))
        response = client.post(
            "/staff/certificates/new/", {**data, "scan": upload("scan.jpg", content)}
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors["scan"]
        assert not Certificate.objects.exists()
        assert stored_files(media) == []

    def test_a_refused_work_order_photo_leaves_no_row_no_event_no_file(self, client, media):
        from facilities import services
        from facilities.models import WorkOrderStatus

        order = WorkOrderFactory(status=WorkOrderStatus.IN_PROGRESS)
        events = order.events.count()
        with pytest.raises(ValidationError):
            services.add_photo(
                order, stage="before", image=upload("x.jpg", b"\xff\xd8\xff" + HTML), by=None
            )
        assert not WorkOrderPhoto.objects.exists()
        assert order.events.count() == events
        assert stored_files(media) == []

    def test_the_edit_form_links_the_file_through_its_view(self, client, home):
        certificate = CertificateFactory(employee=EmployeeFactory(property=home), scan=pdf())
        client.force_login(UserFactory(properties=[home], groups=["hr"]))
        body = client.get(f"/staff/certificates/{certificate.pk}/edit/").content.decode()
        assert f'href="/staff/certificates/{certificate.pk}/scan/"' in body
        assert "/media/" not in body
        assert 'accept="application/pdf,image/jpeg,image/png"' in body

    def test_the_admin_links_the_file_through_its_view(self, client):
        candidate = CandidateFactory(resume=docx())
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        body = client.get(f"/admin/staff/candidate/{candidate.pk}/change/").content.decode()
        assert f'href="/staff/candidates/{candidate.pk}/resume/"' in body
        assert "/media/" not in body

    def test_an_admin_import_cannot_name_a_stored_file(self, rf):
        request = rf.get("/")
        request.user = UserFactory(is_staff=True, is_superuser=True)
        from django.contrib.admin import site

        admin = CandidateAdmin(Candidate, site)
        for resource in admin.get_resource_classes(request):
            assert "resume" not in resource().fields


# --- serving ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestServing:
    @pytest.fixture
    def home(self):
        return PropertyFactory()

    @pytest.fixture
    def hr(self, home):
        return UserFactory(properties=[home], groups=["hr"])

    @pytest.mark.parametrize(
        ("make", "content_type", "disposition"),
        [
            (lambda: jpeg("scan.jpg"), "image/jpeg", 'inline; filename="scan.jpg"'),
            (lambda: png("scan.png"), "image/png", 'inline; filename="scan.png"'),
            (lambda: pdf("scan.pdf"), "application/pdf", 'inline; filename="scan.pdf"'),
        ],
    )
    def test_headers(self, client, home, hr, make, content_type, disposition):
        certificate = CertificateFactory(employee=EmployeeFactory(property=home), scan=make())
        client.force_login(hr)
        response = client.get(f"/staff/certificates/{certificate.pk}/scan/")
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        with certificate.scan.open("rb") as handle:
            assert b"".join(response.streaming_content) == handle.read()

    def test_a_word_file_is_downloaded(self, client, hr):
        candidate = CandidateFactory(resume=docx("简历.docx"))
        client.force_login(UserFactory(is_superuser=True))
        response = client.get(f"/staff/candidates/{candidate.pk}/resume/")
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == uploads.DOCX.content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E7%AE%80%E5%8E%86.docx" in response["Content-Disposition"]

    def test_a_file_stored_before_the_checks_is_never_served_as_what_its_name_says(
        self, client, home, hr, media
    ):
        certificate = CertificateFactory(employee=EmployeeFactory(property=home), scan=pdf())
        (media / certificate.scan.name).write_bytes(HTML)  # what the old check let through
        client.force_login(hr)
        response = client.get(f"/staff/certificates/{certificate.pk}/scan/")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_another_propertys_file_is_a_404(self, client, hr):
        theirs = CertificateFactory(scan=pdf())
        photo = WorkOrderPhoto.objects.create(
            work_order=WorkOrderFactory(), stage="before", image=jpeg()
        )
        client.force_login(hr)
        assert client.get(f"/staff/certificates/{theirs.pk}/scan/").status_code == 404
        supervisor = "facilities_supervisor"
        client.force_login(UserFactory(properties=[PropertyFactory()], groups=[supervisor]))
        url = reverse("facilities:workorderphoto_file", args=[photo.pk])
        assert client.get(url).status_code == 404
        mine = photo.work_order.property
        client.force_login(UserFactory(properties=[mine], groups=[supervisor]))
        assert client.get(url).status_code == HTTPStatus.OK

    def test_a_missing_file_is_a_404(self, client, home, hr, media):
        certificate = CertificateFactory(employee=EmployeeFactory(property=home), scan=pdf())
        (media / certificate.scan.name).unlink()
        client.force_login(hr)
        assert client.get(f"/staff/certificates/{certificate.pk}/scan/").status_code == 404

    def test_media_is_not_served_under_media_url(self, client, settings):
        certificate = CertificateFactory(scan=pdf())
        client.force_login(UserFactory(is_superuser=True))
        for debug in (False, True):
            settings.DEBUG = debug
            response = client.get(f"/{settings.MEDIA_URL}{certificate.scan.name}")
            assert response.status_code == HTTPStatus.NOT_FOUND


# --- removal from storage -----------------------------------------------------------------


@pytest.mark.django_db
class TestRemoval:
    def test_a_replaced_file_is_removed_once_committed(
        self, media, django_capture_on_commit_callbacks
    ):
        certificate = CertificateFactory(scan=pdf("first.pdf"))
        first = certificate.scan.name
        with django_capture_on_commit_callbacks(execute=True):
            certificate.scan = jpeg("second.jpg")
            certificate.save()
        assert stored_files(media) == [certificate.scan.name]
        assert first != certificate.scan.name

    def test_the_files_of_a_deleted_record_are_removed(
        self, media, django_capture_on_commit_callbacks
    ):
        certificate = CertificateFactory(scan=pdf())
        kept = CertificateFactory(scan=pdf())
        with django_capture_on_commit_callbacks(execute=True):
            certificate.delete()
        assert stored_files(media) == [kept.scan.name]

    def test_a_cleared_file_is_removed(self, media, django_capture_on_commit_callbacks):
        candidate = CandidateFactory(resume=docx())
        with django_capture_on_commit_callbacks(execute=True):
            candidate.resume = None
            candidate.save()
        assert stored_files(media) == []

    def test_a_rolled_back_replacement_keeps_the_file(
        self, media, django_capture_on_commit_callbacks
    ):
        certificate = CertificateFactory(scan=pdf("kept.pdf"))
        kept = certificate.scan.name
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            certificate.scan = jpeg("new.jpg")
            certificate.save()
            raise RuntimeError
        certificate.refresh_from_db()
        assert certificate.scan.name == kept
        assert kept in stored_files(media)

    def test_a_rolled_back_delete_keeps_the_file(self, media, django_capture_on_commit_callbacks):
        certificate = CertificateFactory(scan=pdf())
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            Certificate.objects.get(pk=certificate.pk).delete()
            raise RuntimeError
        assert stored_files(media) == [certificate.scan.name]

    def test_replacing_through_the_edit_form(
        self, client, media, django_capture_on_commit_callbacks
    ):
        home = PropertyFactory()
        certificate = CertificateFactory(employee=EmployeeFactory(property=home), scan=pdf())
        client.force_login(UserFactory(properties=[home], groups=["hr"]))
        data = {
            "employee": certificate.employee_id,
            "type": certificate.type_id,
            "number": certificate.number,
            "issued_on": "2024-01-01",
            "expires_on": "2030-01-01",
            "scan": png("new.png"),
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/staff/certificates/{certificate.pk}/edit/", data)
        assert response.status_code == HTTPStatus.FOUND
        certificate.refresh_from_db()
        assert stored_files(media) == [certificate.scan.name]
        assert certificate.scan.name.endswith(".png")


# --- the system check ----------------------------------------------------------------------


def test_every_file_field_of_the_project_is_checked():
    assert check_upload_fields() == []


@isolate_apps("core")
def test_a_file_field_without_the_validator_fails_the_check():
    class Unchecked(models.Model):  # noqa: DJ008
        attachment = models.FileField()

        class Meta:
            app_label = "core"

    class Checked(models.Model):  # noqa: DJ008
        attachment = models.FileField(validators=[PHOTO])

        class Meta:
            app_label = "core"

    errors = check_upload_fields(models=[Unchecked, Checked])
    assert [(e.id, e.obj.model) for e in errors] == [("core.E301", Unchecked)]
