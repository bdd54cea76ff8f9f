from django.urls import path

from tacnghiep.documents import views

app_name = "documents"

urlpatterns = [
    path("van-ban-den/", views.incoming_list, name="incoming"),
    path("van-ban-den/vao-so/", views.incoming_register, name="incoming_register"),
    path("van-ban-den/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("van-ban-den/<int:pk>/chi-dao/", views.incoming_direct, name="incoming_direct"),
    path("phan-cong/<int:pk>/hoan-thanh/", views.assignment_complete, name="assignment_complete"),
    path("van-ban-den/<int:pk>/y-kien/", views.incoming_opinion, name="incoming_opinion"),
    path("phan-cong/<int:pk>/tra-lai/", views.assignment_return, name="assignment_return"),
    path("phan-cong/<int:pk>/phan-cong-lai/", views.assignment_reassign, name="assignment_reassign"),
    path("phan-cong/<int:pk>/gia-han/", views.assignment_extension, name="assignment_extension"),
    path("gia-han/<int:pk>/quyet-dinh/", views.extension_decide, name="extension_decide"),
    path("viec-can-lam/", views.inbox, name="inbox"),
    path("theo-doi-han/", views.deadlines, name="deadlines"),
]
