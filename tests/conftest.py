import pytest
from django.test import Client

from tests.factories import PropertyFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.REMINDER_RETRY_DELAY = 0
    settings.SITE_URL = "https://houqin.test"
    settings.LANGUAGE_CODE = "en"
    # The sidebar's count is counted afresh on every page (its cache has its own test).
    settings.OPEN_WORK_CACHE_SECONDS = 0


@pytest.fixture
def property_a(db):
    return PropertyFactory(code="AAA", name="Alpha Gardens")


@pytest.fixture
def property_b(db):
    return PropertyFactory(code="BBB", name="Beta Tower")


class HouqinClient(Client):
    def force_login(self, user, backend="django.contrib.auth.backends.ModelBackend"):
        # The first backend (django-axes) only guards authenticate(); sessions use ModelBackend.
        super().force_login(user, backend)


@pytest.fixture
def client():
    return HouqinClient()
