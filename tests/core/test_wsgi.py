import gc
import importlib


def test_the_wsgi_module_loads_the_views_and_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        wsgi = importlib.import_module("config.wsgi")
        wsgi.settle()
        assert gc.get_freeze_count() > 10_000  # Django and every view module
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
