# The shared fixtures live in support.py (with the helpers the tests import from there).
from .support import browser, demo_data, desktop_page, phone_page  # noqa: F401
