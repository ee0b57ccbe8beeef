from http import HTTPStatus

import pytest
from django.db import OperationalError

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_when_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": {"ok": True}, "broker": {"ok": True}}


def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    # Nothing listens on port 1 of the loopback interface.
    for key in ("broker_url", "broker_write_url"):
        monkeypatch.setitem(celery_app.conf, key, "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["ok"] is False and body["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
