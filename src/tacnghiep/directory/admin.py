"""The Django admin site, for system administrators only, over the same services.

Daily administration of organizations and people (including by unit
administrators) happens in the main UI; this site covers reference data —
catalogs, organization kinds — and OpenID Connect client applications.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model

from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Catalog, CatalogEntry, OrganizationKind
from tacnghiep.directory.selectors.roles import second_factor_passed
from tacnghiep.directory.services import catalogs as catalog_services
from tacnghiep.directory.services import oidc as oidc_services


class SiteAdmin(admin.AdminSite):
    site_header = _("tacnghiep administration")
    site_title = _("tacnghiep administration")
    index_title = _("Reference data")

    def has_permission(self, request: HttpRequest) -> bool:
        actor: Actor | None = getattr(request, "actor", None)
        return bool(actor and actor.is_system_admin and second_factor_passed(request.user))  # type: ignore[union-attr]

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One sign-in path for everything, so the second factor cannot be skipped here.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect(f"{reverse('directory:login')}?next={request.get_full_path()}")


admin_site = SiteAdmin(name="admin")


class CatalogEntryInline(admin.TabularInline[CatalogEntry, Catalog]):
    model = CatalogEntry
    fields = ["code", "name", "short_name", "sort_order", "retired_on"]
    readonly_fields = ["code", "name", "short_name", "sort_order", "retired_on"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Catalog, site=admin_site)
class CatalogAdmin(admin.ModelAdmin[Catalog]):
    list_display = ["name", "code", "version", "updated_at"]
    readonly_fields = ["code", "version", "updated_at"]
    fields = ["code", "name", "description", "version", "updated_at"]
    inlines = [CatalogEntryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogEntry, site=admin_site)
class CatalogEntryAdmin(admin.ModelAdmin[CatalogEntry]):
    list_display = ["name", "code", "short_name", "catalog", "sort_order", "retired_on"]
    list_filter = ["catalog", "retired_on"]
    search_fields = ["search_text", "code"]
    fields = ["catalog", "code", "name", "short_name", "sort_order", "attributes", "retired_on"]
    actions = ["retire"]

    def get_readonly_fields(self, request: HttpRequest, obj: CatalogEntry | None = None) -> list[str]:
        return ["catalog", "code", "retired_on"] if obj else ["retired_on"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # entries are retired, never deleted

    def save_model(self, request: HttpRequest, obj: CatalogEntry, form: Any, change: bool) -> None:
        actor: Actor = request.actor  # type: ignore[attr-defined]
        if change:
            changes = {
                field: form.cleaned_data[field] for field in form.changed_data if field in catalog_services.ENTRY_FIELDS
            }
            saved = catalog_services.update_entry(actor=actor, entry=obj, changes=changes)
        else:
            saved = catalog_services.create_entry(
                actor=actor,
                catalog=obj.catalog,
                code=obj.code,
                name=obj.name,
                short_name=obj.short_name,
                sort_order=obj.sort_order,
                attributes=obj.attributes,
            )
        obj.pk = saved.pk

    @admin.action(description=_("Retire the selected entries"))
    def retire(self, request: HttpRequest, queryset: QuerySet[CatalogEntry]) -> None:
        for entry in queryset.filter(retired_on__isnull=True):
            catalog_services.retire_entry(actor=request.actor, entry=entry, on=timezone.localdate())  # type: ignore[attr-defined]


@admin.register(OrganizationKind, site=admin_site)
class OrganizationKindAdmin(admin.ModelAdmin[OrganizationKind]):
    list_display = ["name", "code", "is_scope_boundary", "sort_order"]
    readonly_fields = ["code", "name", "is_scope_boundary", "sort_order"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # loaded from fixtures; a change here would alter who can read what

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


Application = get_application_model()


@admin.register(Application, site=admin_site)
class ApplicationAdmin(admin.ModelAdmin[Any]):
    list_display = ["name", "client_id", "client_type", "authorization_grant_type", "skip_authorization"]
    fields = [
        "name",
        "client_id",
        "client_secret",
        "client_type",
        "authorization_grant_type",
        "redirect_uris",
        "post_logout_redirect_uris",
        "algorithm",
        "skip_authorization",
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        oidc_services.save_application(actor=request.actor, application=obj)  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        oidc_services.delete_application(actor=request.actor, application=obj)  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None  # one at a time, so each deletion is audited through the service
