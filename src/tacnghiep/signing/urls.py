from django.urls import path

from tacnghiep.signing import views

app_name = "signing"

urlpatterns = [
    path("ky-so/chung-thu/", views.certificate_list, name="certificates"),
    path("ky-so/phien/<str:token>/", views.session_page, name="session"),
    path("ky-so/phien/<str:token>/tep/", views.session_file, name="session_file"),
    path("ky-so/phien/<str:token>/nhan/", views.session_upload, name="session_upload"),
]
