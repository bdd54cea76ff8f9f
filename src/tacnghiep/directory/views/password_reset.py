"""Password reset by e-mail. A reset never signs the person in, so the second factor still applies."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from tacnghiep.directory.services import auth as auth_services


class RequestView(auth_views.PasswordResetView):
    template_name = "directory/auth/password_reset.html"
    email_template_name = "directory/auth/password_reset_email.txt"
    subject_template_name = "directory/auth/password_reset_subject.txt"


class ConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "directory/auth/password_reset_confirm.html"
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        auth_services.complete_password_reset(self.user, form.cleaned_data["new_password1"])
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)
