"""Real files for upload tests, small and made on the spot: core.uploads decodes images and
parses documents in full, so a file's first bytes are not enough."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

ORIENTATION = 0x0112
GPS_IFD = 0x8825

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    '{main}"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>张三 简历</w:t></w:r></w:p></w:body></w:document>"
)
WORD_MAIN = "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def image_bytes(fmt="JPEG", size=(8, 6), color=(200, 40, 40), mode="RGB", exif=None):
    image = Image.new(mode, size, color)
    output = io.BytesIO()
    image.save(output, fmt, **({"exif": exif} if exif is not None else {}))
    return output.getvalue()


def jpeg_bytes(**kwargs):
    return image_bytes("JPEG", **kwargs)


def png_bytes(**kwargs):
    return image_bytes("PNG", **kwargs)


def gps_exif(orientation=None):
    """EXIF with a GPS position (31°14′N, 121°28′E: Shanghai) and a camera orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    return exif


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def docx_bytes(main=WORD_MAIN, document=DOCUMENT):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        archive.writestr("_rels/.rels", RELS)
        if document is not None:
            archive.writestr("word/document.xml", document)
    return output.getvalue()


def jpeg(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def png(name="photo.png", **kwargs):
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def pdf(name="scan.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def docx(name="cv.docx", **kwargs):
    return SimpleUploadedFile(
        name,
        docx_bytes(**kwargs),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
