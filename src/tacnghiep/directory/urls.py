from django.urls import path

from tacnghiep.directory.views import account, audit, auth, catalogs, home, organizations, people

app_name = "directory"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth.sign_in, name="login"),
    path("dang-nhap/xac-thuc/", auth.second_factor, name="second_factor"),
    path("dang-xuat/", auth.sign_out, name="logout"),
    path("tai-khoan/", account.overview, name="account"),
    path("tai-khoan/hai-lop/", auth.totp_enroll, name="totp_enroll"),
    path("tai-khoan/mat-khau/", account.change_password, name="change_password"),
    path("tai-khoan/dang-xuat-noi-khac/", account.sign_out_others, name="sign_out_others"),
    path("tai-khoan/token/", account.create_token, name="create_token"),
    path("tai-khoan/token/<int:pk>/thu-hoi/", account.revoke_token, name="revoke_token"),
    path("tai-khoan/uy-quyen/", account.create_delegation, name="create_delegation"),
    path("tai-khoan/uy-quyen/<int:pk>/thu-hoi/", account.revoke_delegation, name="revoke_delegation"),
    path("tai-khoan/thay-mat/", account.act_for, name="act_for"),
    path("to-chuc/", organizations.tree, name="tree"),
    path("to-chuc/<int:pk>/", organizations.detail, name="organization"),
    path("to-chuc/<int:pk>/con/", organizations.tree_children, name="tree_children"),
    path("to-chuc/<int:parent_pk>/them/", organizations.create, name="organization_create"),
    path("to-chuc/<int:pk>/sua/", organizations.edit, name="organization_edit"),
    path("to-chuc/<int:pk>/ket-thuc/", organizations.end, name="organization_end"),
    path("to-chuc/<int:pk>/them-chuc-vu/", organizations.add_member, name="organization_add_member"),
    path("to-chuc/<int:pk>/cap-vai-tro/", organizations.grant_role, name="organization_grant_role"),
    path("to-chuc/<int:org_pk>/them-can-bo/", people.create, name="person_create"),
    path("can-bo/", people.search, name="people"),
    path("can-bo/<int:pk>/", people.detail, name="person"),
    path("can-bo/<int:pk>/sua/", people.edit, name="person_edit"),
    path("can-bo/<int:pk>/mat-khau/", people.set_password, name="person_set_password"),
    path("can-bo/<int:pk>/kich-hoat/", people.deactivate, name="person_toggle_active"),
    path("can-bo/<int:pk>/dat-lai-hai-lop/", people.reset_second_factor, name="person_reset_second_factor"),
    path("chuc-vu/<int:pk>/ket-thuc/", people.end_membership, name="membership_end"),
    path("vai-tro/<int:pk>/thu-hoi/", people.revoke_role, name="role_revoke"),
    path("danh-muc/", catalogs.index, name="catalogs"),
    path("danh-muc/<slug:code>/", catalogs.entries, name="catalog"),
    path("nhat-ky/", audit.log, name="audit"),
]
