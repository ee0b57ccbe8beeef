"""What a browser fetches before the first paint: a favicon (also at /favicon.ico, which
browsers ask for on every site), the icon font preloaded under the URL its stylesheet uses,
and, in production, static files compressed (gzip and Brotli) by collectstatic."""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

FONT = "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2"
ICONS_CSS = "vendor/bootstrap-icons/bootstrap-icons.min.css"


def test_favicon_ico_is_served_at_the_root_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert "icon" in response["Content-Type"]


def test_every_page_links_its_favicons_and_preloads_the_icon_font(client):
    page = client.get("/accounts/login/").content.decode()
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert f'href="{static(name)}"' in page
        assert finders.find(name), name
    assert f'<link rel="preload" href="{static(FONT)}" as="font"' in page
    # The stylesheet asks for the same URL, so the font is fetched once.
    assert 'url("fonts/bootstrap-icons.woff2")' in Path(finders.find(ICONS_CSS)).read_text()
    assert "@import" not in Path(finders.find("css/houqin.css")).read_text()


def test_collectstatic_in_production_hashes_and_compresses(settings, tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = tmp_path / staticfiles_storage.stored_name("vendor/bootstrap/bootstrap.min.css")
    assert css.name != "bootstrap.min.css"  # a content hash in the name: cached for ever
    assert css.with_name(css.name + ".gz").exists()
    assert css.with_name(css.name + ".br").exists()
    # The preload and the hashed stylesheet name the same hashed font.
    font = staticfiles_storage.stored_name(FONT).rsplit("/", 1)[-1]
    icons = tmp_path / staticfiles_storage.stored_name(ICONS_CSS)
    assert f'url("fonts/{font}")' in icons.read_text(encoding="utf-8")
