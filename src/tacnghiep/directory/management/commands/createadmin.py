from __future__ import annotations

import datetime
import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tacnghiep.directory.models import Organization
from tacnghiep.directory.services import bootstrap, catalogs


class Command(BaseCommand):
    help = "Create a system administrator (and, on an empty installation, the top-level organization)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--root-name", help="Name of the top-level organization, if there is none yet.")
        parser.add_argument("--root-short-name", default="TU")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogs.load_reference_data()
        if Organization.objects.filter(parent__isnull=True, valid_to__isnull=True).exists():
            root = bootstrap.root_organization()
        elif options["root_name"]:
            root = bootstrap.create_root_organization(
                name=options["root_name"],
                short_name=options["root_short_name"],
                kind_code="provincial-committee",
                valid_from=datetime.date.today(),
            )
        else:
            raise CommandError("Chưa có tổ chức gốc: hãy cho biết --root-name.")
        password = os.environ.get("TACNGHIEP_ADMIN_PASSWORD") or getpass.getpass("Mật khẩu: ")
        try:
            person = bootstrap.create_system_admin(
                username=options["username"], full_name=options["full_name"], password=password, organization=root
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Đã tạo quản trị hệ thống {person.username} tại {root.name}.")
        self.stdout.write("Lần đăng nhập đầu tiên sẽ yêu cầu cài đặt xác thực hai lớp (TOTP).")
