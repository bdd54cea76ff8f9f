from rest_framework.routers import SimpleRouter

from tacnghiep.documents.api import views

router = SimpleRouter()
router.register("registers", views.RegisterViewSet, basename="register")
router.register("incoming-documents", views.IncomingViewSet, basename="incoming-document")

urlpatterns = router.urls
