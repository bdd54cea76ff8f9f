from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tacnghiep.directory import demo


def demo_password() -> str:
    """From TACNGHIEP_DEMO_PASSWORD, else generated once and kept in the data folder (never in the repo)."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD
    path = settings.DATA_DIR / "demo_password.txt"
    if not path.exists():
        path.write_text(f"Demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Load the demo province (Lâm Đồng after 1 July 2025) and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        result = demo.load(password=password)
        if result.already_loaded:
            self.stdout.write("Tỉnh mẫu đã được nạp trước đó.")
        else:
            self.stdout.write(f"Đã nạp tỉnh mẫu: {result.organizations} tổ chức, {result.people} cán bộ.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {password}):")
        for username, role, note in demo.ACCOUNTS:
            self.stdout.write(f"  {username:<22} {role}{' — ' + note if note else ''}")
