"""A user's background exports: start one from a list, follow its progress, download it.

Each user sees only their own jobs (another user's is a 404). Starting a job checks the
list's own permission, as opening the page would; the task checks it again when it runs.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView

from .. import exports
from ..models import ExportJob
from .mixins import AUTHENTICATED, PermissionMixin


class ExportJobMixin(PermissionMixin):
    permission_required = AUTHENTICATED  # any signed-in user; each sees only their own jobs

    def get_queryset(self):
        return ExportJob.objects.filter(user=self.request.user)

    def get_breadcrumbs(self, *crumbs):
        return [(_("Exports"), exports.jobs_url()), *crumbs]


class ExportJobListView(ExportJobMixin, ListView):
    template_name = "core/exports/job_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            breadcrumbs=self.get_breadcrumbs(),
            retention_days=exports.retention_days(),
        )
        return context


class ExportJobDetailView(ExportJobMixin, DetailView):
    """The job's progress (refreshed by htmx while it runs) and, when ready, its file."""

    template_name = "core/exports/job_detail.html"
    context_object_name = "job"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["core/exports/job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            breadcrumbs=self.get_breadcrumbs((str(self.object.title), None)),
            retention_days=exports.retention_days(),
        )
        return context


class ExportJobCreateView(ExportJobMixin, View):
    """POST from a list's export menu: the list's path, its query string and a format."""

    http_method_names = ["post"]

    def post(self, request):
        path = request.POST.get("path", "")
        fmt = request.POST.get("format", "")
        query = request.POST.get("query", "")
        view_class, _match = exports.export_view_class(path)
        if view_class is None or fmt not in view_class.export_formats:
            raise Http404
        active = ExportJob.objects.filter(user=request.user, status__in=ExportJob.ACTIVE)
        if active.count() >= exports.max_active_jobs():
            messages.error(
                request,
                _(
                    "You already have %(count)d exports being prepared. Wait for one of them "
                    "to finish, then try again."
                )
                % {"count": exports.max_active_jobs()},
            )
            return HttpResponseRedirect(exports.jobs_url())
        try:
            job = exports.create_job(request.user, path, query, fmt)
        except LookupError as exc:
            raise Http404 from exc
        messages.success(
            request,
            _("The export is being prepared. You will receive an e-mail when it is ready."),
        )
        return HttpResponseRedirect(job.get_absolute_url())


class ExportJobDownloadView(ExportJobMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(self.get_queryset(), pk=pk, status=ExportJob.Status.DONE)
        if not job.file:
            raise Http404
        try:
            handle = exports.export_storage().open(job.file, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.download_name,
            content_type=exports.FORMATS[job.format].content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        return response
