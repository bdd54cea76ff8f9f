from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tacnghiep.core import checks

LABELS = {checks.OK: "[ ĐẠT ]", checks.WARNING: "[LƯU Ý]", checks.ERROR: "[ LỖI ]"}


class Command(BaseCommand):
    help = "Check this deployment (database, audit chain, files, worker queue, security) and report findings."

    def handle(self, *args: Any, **options: Any) -> None:
        findings = checks.run()
        for finding in findings:
            self.stdout.write(f"{LABELS[finding.level]} {finding.topic}: {finding.message}")
        errors = sum(1 for f in findings if f.level == checks.ERROR)
        if errors:
            raise CommandError(f"{errors} lỗi cần khắc phục.")
        self.stdout.write("Không có lỗi.")
