from django.urls import path

from .urlhelpers import crud_urls
from .views import DashboardView, autocomplete, calendar, scan, search, work
from .views import exports as export_views
from .views import reference as views

app_name = "core"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("my-work/", work.MyWorkView.as_view(), name="my_work"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    # Token-authenticated (no login): calendar apps read it; the token is the credential.
    path(
        "calendar/feed/<str:token>.ics",
        calendar.CalendarFeedView.as_view(),
        name="calendar_feed",
    ),
    path("search/", search.SearchView.as_view(), name="search"),
    path("scan/", scan.ScanView.as_view(), name="scan"),
    path(
        "autocomplete/<str:source>/",
        autocomplete.AutocompleteView.as_view(),
        name="autocomplete",
    ),
    path("profile/", calendar.ProfileView.as_view(), name="profile"),
    path(
        "profile/calendar-feed/new/",
        calendar.CalendarFeedActionView.as_view(),
        name="calendar_feed_issue",
    ),
    path(
        "profile/calendar-feed/revoke/",
        calendar.CalendarFeedActionView.as_view(revoke=True),
        name="calendar_feed_revoke",
    ),
    path("exports/", export_views.ExportJobListView.as_view(), name="export_list"),
    path("exports/new/", export_views.ExportJobCreateView.as_view(), name="export_create"),
    path("exports/<int:pk>/", export_views.ExportJobDetailView.as_view(), name="export_detail"),
    path(
        "exports/<int:pk>/download/",
        export_views.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
    *crud_urls(
        "properties",
        views.PropertyListView,
        views.PropertyDetailView,
        views.PropertyEditView,
        views.PropertyDeleteView,
    ),
    *crud_urls(
        "locations",
        views.LocationListView,
        views.LocationDetailView,
        views.LocationEditView,
        views.LocationDeleteView,
    ),
]
