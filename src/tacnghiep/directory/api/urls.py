from django.urls import path
from rest_framework.routers import SimpleRouter

from tacnghiep.directory.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("catalogs", views.CatalogViewSet, basename="catalog")
router.register(r"catalogs/(?P<catalog_code>[-a-z0-9]+)/entries", views.CatalogEntryViewSet, basename="catalog-entry")
router.register("audit", views.AuditRecordViewSet, basename="audit")

urlpatterns = [path("me/", views.me, name="me"), *router.urls]
