from django.urls import path

from tacnghiep.documents.views import files, incoming, outgoing, search

app_name = "documents"

urlpatterns = [
    path("van-ban-den/", incoming.incoming_list, name="incoming"),
    path("van-ban-den/vao-so/", incoming.incoming_register, name="incoming_register"),
    path("van-ban-den/<int:pk>/", incoming.incoming_detail, name="incoming_detail"),
    path("van-ban-den/<int:pk>/chi-dao/", incoming.incoming_direct, name="incoming_direct"),
    path("van-ban-den/<int:pk>/y-kien/", incoming.incoming_opinion, name="incoming_opinion"),
    path("van-ban-den/<int:pk>/tep/", incoming.incoming_files, name="incoming_files"),
    path("van-ban-den/<int:pk>/chuyen-tiep/", incoming.incoming_forward, name="incoming_forward"),
    path("van-ban-den/<int:pk>/cap-quyen/", incoming.incoming_grant, name="incoming_grant"),
    path("phan-cong/<int:pk>/hoan-thanh/", incoming.assignment_complete, name="assignment_complete"),
    path("phan-cong/<int:pk>/tra-lai/", incoming.assignment_return, name="assignment_return"),
    path("phan-cong/<int:pk>/phan-cong-lai/", incoming.assignment_reassign, name="assignment_reassign"),
    path("phan-cong/<int:pk>/gia-han/", incoming.assignment_extension, name="assignment_extension"),
    path("gia-han/<int:pk>/quyet-dinh/", incoming.extension_decide, name="extension_decide"),
    path("viec-can-lam/", incoming.inbox, name="inbox"),
    path("theo-doi-han/", incoming.deadlines, name="deadlines"),
    path("van-ban-di/", outgoing.outgoing_list, name="outgoing"),
    path("van-ban-di/du-thao/", outgoing.outgoing_draft, name="outgoing_draft"),
    path("van-ban-di/<int:pk>/", outgoing.outgoing_detail, name="outgoing_detail"),
    path("van-ban-di/<int:pk>/phien-ban/", outgoing.outgoing_version, name="outgoing_version"),
    path("van-ban-di/<int:pk>/dinh-kem/", outgoing.outgoing_attachment, name="outgoing_attachment"),
    path("van-ban-di/<int:pk>/trinh/", outgoing.outgoing_submit, name="outgoing_submit"),
    path("van-ban-di/<int:pk>/duyet/", outgoing.outgoing_review, name="outgoing_review"),
    path("van-ban-di/<int:pk>/gop-y/", outgoing.outgoing_comment, name="outgoing_comment"),
    path("van-ban-di/<int:pk>/ban-hanh/", outgoing.outgoing_issue, name="outgoing_issue"),
    path("van-ban-di/<int:pk>/thu-hoi/", outgoing.outgoing_revoke, name="outgoing_revoke"),
    path("van-ban-di/<int:pk>/cap-quyen/", outgoing.outgoing_grant, name="outgoing_grant"),
    path("van-ban-cho-nhan/", outgoing.deliveries, name="deliveries"),
    path("van-ban-cho-nhan/<int:pk>/vao-so/", outgoing.delivery_register, name="delivery_register"),
    path("van-ban-cho-nhan/<int:pk>/tu-choi/", outgoing.delivery_refuse, name="delivery_refuse"),
    path("tra-cuu-van-ban/", search.search_documents, name="search"),
    path("tep/<int:pk>/", files.file_download, name="file"),
    path("tep/<int:pk>/xem/", files.file_view, name="file_view"),
    path("phien-ban/<int:pk>/", files.version_download, name="version"),
    path("phien-ban/<int:pk>/xem/", files.version_view, name="version_view"),
]
