from django.urls import path
from rest_framework.routers import SimpleRouter

from tacnghiep.documents.api import views

router = SimpleRouter()
router.register("registers", views.RegisterViewSet, basename="register")
router.register("incoming-documents", views.IncomingViewSet, basename="incoming-document")
router.register("outgoing-documents", views.OutgoingViewSet, basename="outgoing-document")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("files", views.FileViewSet, basename="file")

urlpatterns = [*router.urls, path("search/", views.SearchView.as_view(), name="search")]
