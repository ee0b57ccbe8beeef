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
    # Each test starts with an empty cache of its own (a user's cached roles must not
    # outlive the test's rolled-back database).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "houqin-tests",
        }
    }
    # Roles, permissions and pick lists are read afresh on every page, as the query-count
    # tests expect (their caches have their own tests: tests/core/test_authcache.py,
    # test_picklists.py).
    settings.AUTH_CACHE_SECONDS = 0
    settings.PICK_LIST_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()


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
