from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tacnghiep.directory.services import oidc


class Command(BaseCommand):
    help = "Register an internal application that signs users in here (OpenID Connect, code flow with PKCE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        parser.add_argument("--public", action="store_true", help="a client that cannot keep a secret")

    def handle(self, *args: Any, **options: Any) -> None:
        application, secret = oidc.register_application(
            actor=None, name=options["name"], redirect_uris=options["redirect_uris"], confidential=not options["public"]
        )
        self.stdout.write(f"client_id:     {application.client_id}")
        if not options["public"]:
            self.stdout.write(f"client_secret: {secret}   (chỉ hiển thị một lần)")
