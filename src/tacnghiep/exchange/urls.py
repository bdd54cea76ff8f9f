from django.urls import path

from tacnghiep.exchange import views

app_name = "exchange"

urlpatterns = [
    path("lien-thong/van-ban-den/", views.waiting, name="waiting"),
    path("lien-thong/van-ban-den/<int:pk>/", views.inbound, name="inbound"),
    path("lien-thong/van-ban-den/<int:pk>/tu-choi/", views.refuse, name="refuse"),
    path("lien-thong/van-ban-den/<int:pk>/lay-lai/", views.recall, name="recall"),
    path("lien-thong/van-ban-den/<int:pk>/tep/<int:file_pk>/", views.inbound_file, name="inbound_file"),
]
