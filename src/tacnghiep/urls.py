from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from tacnghiep.core import views as core_views
from tacnghiep.directory.admin import admin_site
from tacnghiep.directory.views import password_reset

handler403 = "tacnghiep.core.views.error_403"
handler404 = "tacnghiep.core.views.error_404"
handler500 = "tacnghiep.core.views.error_500"

api_v1: list[URLPattern | URLResolver] = [
    path("", include("tacnghiep.directory.api.urls")),
    path("", include("tacnghiep.documents.api.urls")),
    path("", include("tacnghiep.exchange.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("tacnghiep.directory.urls")),
    path("", include("tacnghiep.documents.urls")),
    path("", include("tacnghiep.signing.urls")),
    path("", include("tacnghiep.exchange.urls")),
    path("health/", core_views.health, name="health"),
    path("thong-bao/", core_views.notifications, name="notifications"),
    path("quan-tri/", admin_site.urls),
    path("api/v1/", include(api_v1)),
    path("o/", include("tacnghiep.directory.oidc_urls", namespace="oauth2_provider")),
    path("quen-mat-khau/", password_reset.RequestView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="directory/auth/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("quen-mat-khau/<uidb64>/<token>/", password_reset.ConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "quen-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(template_name="directory/auth/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
