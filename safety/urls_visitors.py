from django.urls import path

from core.urlhelpers import crud_urls

from .views import visitors as v

visitor_urlpatterns = [
    path("visitors/on-site/", v.OnSiteView.as_view(), name="visitor_on_site"),
    path("visitors/<int:pk>/sign-in/", v.VisitorSignInView.as_view(), name="visitor_sign_in"),
    path("visitors/<int:pk>/sign-out/", v.VisitorSignOutView.as_view(), name="visitor_sign_out"),
    path("visitors/<int:pk>/no-show/", v.VisitorNoShowView.as_view(), name="visitor_no_show"),
    path("visitors/<int:pk>/cancel/", v.VisitorCancelView.as_view(), name="visitor_cancel"),
    *crud_urls(
        "visitors",
        v.VisitorListView,
        v.VisitorDetailView,
        v.VisitorEditView,
        v.VisitorDeleteView,
    ),
    path("access-cards/<int:pk>/lost/", v.ReportCardLostView.as_view(), name="accesscard_lost"),
    path("access-cards/<int:pk>/revoke/", v.RevokeCardView.as_view(), name="accesscard_revoke"),
    path(
        "access-cards/<int:pk>/reactivate/",
        v.ReactivateCardView.as_view(),
        name="accesscard_reactivate",
    ),
    *crud_urls(
        "access-cards",
        v.AccessCardListView,
        v.AccessCardDetailView,
        v.AccessCardEditView,
        v.AccessCardDeleteView,
    ),
]
