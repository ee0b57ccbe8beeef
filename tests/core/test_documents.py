"""core.documents: the CSS strings of the page boxes (running title, page numbers)."""

from core.documents import css_string, page_counter_content


def test_a_css_string_cannot_leave_its_quotes_or_the_style_element():
    assert css_string('PO "1" \\ </style><script>') == '"PO \\"1\\" \\\\ \\3c /style>\\3c script>"'


def test_the_page_counter_keeps_the_readers_words_around_the_counters():
    assert page_counter_content("第 {page} 页，共 {pages} 页") == (
        '"第 " counter(page) " 页，共 " counter(pages) " 页"'
    )
    assert page_counter_content("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert page_counter_content("{page}/{pages}") == 'counter(page) "/" counter(pages)'


def test_a_document_field_of_zero_shows_zero_and_an_empty_one_a_dash(rf):
    import re

    from django.template.loader import render_to_string

    html = render_to_string(
        "documents/base.html",
        {"fields": [("People", 0, False), ("Supervisor", None, False), ("Note", "", False)]},
        request=rf.get("/"),
    )
    cells = re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html)
    assert cells == [("People", "0"), ("Supervisor", "—"), ("Note", "—")]


def test_making_pdfs_leaves_pillow_refusing_cut_pictures():
    """WeasyPrint, once imported, makes Pillow read truncated images in the whole process;
    the upload checks rely on Pillow refusing them."""
    from PIL import ImageFile

    from core.documents import _weasyprint

    _weasyprint()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
