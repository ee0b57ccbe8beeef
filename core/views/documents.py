"""Documents (``core.documents``): one view renders a document as a printable page, or, when
built with ``pdf=True``, as a PDF made on the server from the same HTML.

class PurchaseOrderDocument(ObjectDocumentView):
    model = PurchaseOrder
    title = _("Purchase order")
    template_name = "procurement/documents/purchaseorder.html"

and in urls.py ``*document_urls("orders", PurchaseOrderDocument)`` gives
``orders/<pk>/print/`` and ``orders/<pk>/pdf/``, with the permission and property scoping of
the record's detail page (another property's record is a 404).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from ..documents import css_string, page_counter_content, pdf_unavailable, render_pdf
from ..scoping import property_lookup
from .mixins import ObjectMixin, PermissionMixin

PORTRAIT, LANDSCAPE = "portrait", "landscape"


class DocumentView(PermissionMixin, View):
    """A document: subclasses set ``title``, ``template_name`` (extending
    ``documents/base.html``) and the permission, and give their content through
    :meth:`get_document_context` (``fields``: (label, value) pairs under the title;
    ``signatures``: (label, name printed on the line) pairs; anything the template needs)."""

    http_method_names = ["get", "head", "options"]
    title = None
    template_name = None
    orientation = PORTRAIT
    pdf = False  # as_view(pdf=True): the PDF instead of the page
    unavailable_template = "documents/pdf_unavailable.html"

    def prepare(self):
        """Find what the document is about (raise Http404 when it is not the user's)."""

    def get_document_context(self):
        return {}

    def get_number(self):
        return ""

    def get_property(self):
        return None

    def get_back_url(self):
        return None

    def get_filename(self):
        return f"{self.get_number() or 'document'}.pdf"

    def sibling_url(self, suffix):
        """The same document's print or PDF address (same arguments, same query string)."""
        match = self.request.resolver_match
        base = match.view_name.rsplit("_", 1)[0]
        try:
            url = reverse(f"{base}_{suffix}", args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
        query = self.request.GET.urlencode()
        return f"{url}?{query}" if query else url

    def get_page_context(self):
        number = self.get_number()
        context = {
            "document_title": self.title,
            "number": number,
            "orientation": self.orientation,
            "company_name": settings.COMPANY_NAME,
            "document_property": self.get_property(),
            "fields": [],
            "signatures": [],
            "printed_at": timezone.now(),
            "printed_by": self.request.user.get_full_name() or self.request.user.get_username(),
            "running_number": css_string(f"{self.title} {number}".strip()),
            "page_counter": page_counter_content(_("Page {page} of {pages}")),
            "for_pdf": self.pdf,
            "back_url": self.get_back_url(),
        }
        extra = self.get_document_context()
        # Fields as (label, value) or (label, value, wide): the template reads three.
        extra["fields"] = [(*field, False)[:3] for field in extra.get("fields", [])]
        context.update(extra)
        if not self.pdf:
            context["pdf_url"] = self.sibling_url("pdf")
            context["pdf_hint"] = pdf_unavailable()
        return context

    def get(self, request, *args, **kwargs):
        self.prepare()
        context = self.get_page_context()
        if not self.pdf:
            return render(request, self.template_name, context)
        reason = pdf_unavailable()
        if reason:
            return render(
                request,
                self.unavailable_template,
                {"reason": reason, "print_url": self.sibling_url("print")},
                status=503,
            )
        html = render_to_string(self.template_name, context, request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, self.get_filename())
        return response


class ObjectDocumentView(ObjectMixin, SingleObjectMixin, DocumentView):
    """A document of one record, with the permission and scoping of its detail page.
    ``related``: relations to fetch with the record (the property's path is added)."""

    action = "view"
    related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        lookup = property_lookup(self.model)
        related = [*self.related, *([] if lookup == "pk" else [lookup])]
        return queryset.select_related(*related) if related else queryset

    def prepare(self):
        self.object = self.get_object()

    def get_page_context(self):
        # The record itself, for what a template reads straight from it (the work done).
        return {"object": self.object, **super().get_page_context()}

    def get_number(self):
        return str(self.object)

    def get_property(self):
        target = self.object
        lookup = property_lookup(self.model)
        if lookup == "pk":
            return target
        for part in lookup.split("__"):
            target = getattr(target, part)
        return target

    def get_back_url(self):
        return self.object.get_absolute_url()
