from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tacnghiep.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"Chuỗi nhật ký toàn vẹn: đã kiểm tra {report.checked} bản ghi.")
            return
        raise CommandError(
            f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{report.first_broken_id} "
            f"(sau {report.checked} bản ghi hợp lệ): {report.reason}"
        )
