from rest_framework.routers import SimpleRouter

from tacnghiep.exchange.api import views

router = SimpleRouter()
router.register("exchange/received", views.ReceivedViewSet, basename="exchange-received")

urlpatterns = router.urls
