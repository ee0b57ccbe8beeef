"""Every page, in both languages, as the director sees it: an English page shows no Chinese
outside the records' own data, and a Chinese page no English words outside a short list of
codes, units and names that are written in Latin letters in Chinese too.

The walk is the resolver's (``core.urlwalk``, as the URL-security and no-server-error tests
use), over the shared small world (``tests.core.world``). What people typed into records is
theirs in whatever language they typed it: any run of text found in a record's text fields
is allowed. Scripts, styles, the language switcher and attribute values (other than title,
aria-label, placeholder and alt) are not read.
"""

import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core.urlwalk import all_urls

from .world import build_world

pytestmark = pytest.mark.django_db

HOUQIN_APPS = {"core", "staff", "procurement", "facilities", "cleaning", "safety", "liaison"}
SKIPPED = {"logout", "set_language", "healthz", "calendar_feed"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
SKIPPED_TAGS = {"script", "style", "template"}

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Written in Latin letters in Chinese pages too: codes, units, file kinds, names.
LATIN_IN_CHINESE = {
    "PDF", "CSV", "XLSX", "Excel", "QR", "KPI", "ID", "URL", "iCal", "iCalendar", "CNY",
    "kg", "kW", "kWh", "bar", "MPa", "mm", "cm", "km", "ml", "Houqin", "Django", "Email",
    "email", "WeasyPrint", "Pango", "PNG", "JPEG", "DOCX", "Word", "SMTP", "HTML", "Celery",
    "Chrome", "Safari", "iPhone", "Android", "Google", "Outlook", "JPG", "SVG", "docx",
    "MB", "MTBF", "MTTR",
    # Prefixes of document numbers (REQ-000001, ST-…) and the example property code.
    "REQ", "PO", "GR", "ST", "RFQ", "WO", "JLG",
}  # fmt: skip
# Purchase documents carry the amount in Chinese capitals (大写金额) in either language.
CAPITALS = re.compile(r"^负?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$")


class Text(HTMLParser):
    """The text a reader meets: text nodes and the few attributes read aloud or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping, self.switcher_depth, self.depth = [], 0, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if tag in ("input", "br", "img", "meta", "link", "hr", "source", "wbr"):
            pass  # void elements: no depth
        else:
            self.depth += 1
            if attrs.get("id") == "language-switcher" and self.switcher_depth is None:
                self.switcher_depth = self.depth
        if self.switcher_depth is None and not self.skipping:
            self.parts.extend(
                value for name, value in attrs.items() if name in READ_ATTRIBUTES and value
            )

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        if tag in ("input", "br", "img", "meta", "link", "hr", "source", "wbr"):
            return
        if self.switcher_depth is not None and self.depth == self.switcher_depth:
            self.switcher_depth = None
        self.depth -= 1

    def handle_data(self, data):
        if not self.skipping and self.switcher_depth is None and data.strip():
            self.parts.append(data)


def visible_text(html):
    parser = Text()
    parser.feed(html)
    return parser.parts


def user_data():
    """Every text a record holds (what people typed or the world made up)."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in HOUQIN_APPS | {"auth"} or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if isinstance(value, dict):
                    texts.update(str(v) for v in value.values())
                elif value:
                    texts.add(str(value))
    texts.add(settings.COMPANY_NAME)  # the letterhead's, as configured
    return "\n".join(texts)


def pages(world):
    """(url, name) of every page of the apps, with a real id where the walk put a sample."""
    for url, match in all_urls():
        name = match.url_name or ""
        if (
            "admin" in match.namespaces
            or name in SKIPPED
            or name.endswith(("_pdf", "_delete", "_photo", "_file", "_download", "_label"))
            or match.func.__module__.split(".")[0] not in HOUQIN_APPS
        ):
            continue
        model = getattr(getattr(match.func, "view_class", None), "model", None)
        if "/1/" in url:
            obj = model._default_manager.order_by("-pk").first() if model else None
            if obj is None:
                continue
            url = url.replace("/1/", f"/{obj.pk}/", 1)
        yield url, f"{':'.join(match.namespaces)}:{name}"


def leaks(client, world, language, check):
    data = user_data()
    found = {}
    for url, name in pages(world):
        response = client.get(url)
        if response.status_code != HTTPStatus.OK or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for part in visible_text(html):
            for bad in check(part, data):
                found.setdefault(bad, set()).add(name)
    return found


def chinese_in_english(part, data):
    for run in CJK.findall(part):
        if run.strip("　，。：；、（）【】《》“”") and run not in data and not CAPITALS.match(run):
            yield run


def english_in_chinese(part, data):
    for word in WORD.findall(part):
        if word not in LATIN_IN_CHINESE and word not in data:
            yield word


def report(found):
    return "\n".join(
        f"{text!r} on {', '.join(sorted(names)[:4])}" for text, names in sorted(found.items())
    )


@pytest.fixture
def director_client(client):
    world = build_world()
    client.force_login(world.user("director"))
    return client, world


def reading_in(world, language):
    """The director's preferred language (it wins over the browser's)."""
    user = world.user("director")
    user.language = language
    user.save(update_fields=["language"])


def test_english_pages_show_no_chinese_outside_the_records(director_client):
    client, world = director_client
    reading_in(world, "en")
    found = leaks(client, world, "en", chinese_in_english)
    assert not found, "Chinese on English pages:\n" + report(found)


def test_chinese_pages_show_no_english_outside_codes_units_and_the_records(director_client):
    client, world = director_client
    reading_in(world, "zh-hans")
    found = leaks(client, world, "zh-hans", english_in_chinese)
    assert not found, "English on Chinese pages:\n" + report(found)


def test_the_walk_reads_what_a_reader_meets():
    html = (
        '<p title="提示">Hello <b>world</b></p><script>var x = "中文";</script>'
        '<form id="language-switcher"><button>中文</button><button>English</button></form>'
        '<input placeholder="搜索" value="ignored"><span aria-label="Close">×</span>'
    )
    assert visible_text(html) == ["提示", "Hello ", "world", "搜索", "Close", "×"]
    assert list(chinese_in_english("Fault: 漏水", "漏水")) == []
    assert list(chinese_in_english("故障：漏水", "漏水")) == ["故障：漏水"]
    assert list(english_in_chinese("导出 PDF 或 Export", "")) == ["Export"]
