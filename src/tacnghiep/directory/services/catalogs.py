from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Catalog, CatalogEntry, OrganizationKind
from tacnghiep.directory.services._common import require_system_admin

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ENTRY_FIELDS = ("name", "short_name", "sort_order", "attributes")


def _search_text(entry: CatalogEntry) -> str:
    return fold(f"{entry.code} {entry.name} {entry.short_name}")[:600]


def load_reference_data(*, actor: Actor | None = None, directory: Path = FIXTURES) -> dict[str, int]:
    """Load organization kinds and shared catalogs from fixtures; safe to run again.

    New entries are added and changed ones updated; entries missing from the
    fixture are left alone (retiring is an administrator's decision). A
    catalog's version rises only when something in it changed.
    """
    with transaction.atomic():
        changed: dict[str, int] = {}
        kinds = json.loads((directory / "organization_kinds.json").read_text(encoding="utf-8"))
        for row in kinds["kinds"]:
            OrganizationKind.objects.update_or_create(
                code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
            )
        data = json.loads((directory / "catalogs.json").read_text(encoding="utf-8"))
        for spec in data["catalogs"]:
            catalog, created = Catalog.objects.get_or_create(
                code=spec["code"], defaults={"name": spec["name"], "description": spec.get("description", "")}
            )
            count = 0
            for row in spec["entries"]:
                values = {
                    "name": normalize(row["name"]),
                    "short_name": row.get("short_name", ""),
                    "sort_order": row.get("sort_order", 0),
                    "attributes": row.get("attributes", {}),
                }
                entry = CatalogEntry.objects.filter(catalog=catalog, code=row["code"]).first()
                if entry is None:
                    entry = CatalogEntry(catalog=catalog, code=row["code"], **values)
                elif all(getattr(entry, key) == value for key, value in values.items()):
                    continue
                else:
                    for key, value in values.items():
                        setattr(entry, key, value)
                entry.search_text = _search_text(entry)
                entry.save()
                count += 1
            if count and not created:
                Catalog.objects.filter(pk=catalog.pk).update(version=F("version") + 1)
            if count:
                changed[catalog.code] = count
        if changed:
            audit.record("catalog.load", by=actor, details={"changed": changed})
        return changed


def _bump(catalog: Catalog) -> None:
    Catalog.objects.filter(pk=catalog.pk).update(version=F("version") + 1)


def create_entry(*, actor: Actor, catalog: Catalog, code: str, name: str, **fields: Any) -> CatalogEntry:
    require_system_admin(actor, "catalog.entry.create")
    with transaction.atomic():
        code, name = code.strip(), normalize(name)
        if not code or not name:
            raise ValidationError(_("Both the code and the name are required."))
        if CatalogEntry.objects.filter(catalog=catalog, code=code).exists():
            raise ValidationError({"code": _("This code already exists in the catalog.")})
        entry = CatalogEntry(catalog=catalog, code=code, name=name, **fields)
        entry.search_text = _search_text(entry)
        entry.save()
        _bump(catalog)
        audit.record("catalog.entry.create", by=actor, obj=entry, details={"catalog": catalog.code})
        return entry


def update_entry(*, actor: Actor, entry: CatalogEntry, changes: dict[str, Any]) -> CatalogEntry:
    require_system_admin(actor, "catalog.entry.change")
    with transaction.atomic():
        target = CatalogEntry.objects.select_for_update().select_related("catalog").get(pk=entry.pk)
        for field, value in changes.items():
            if field not in ENTRY_FIELDS:
                raise ValidationError({field: _("This field cannot be changed here.")})
            setattr(target, field, normalize(value) if field == "name" else value)
        target.search_text = _search_text(target)
        target.save()
        _bump(target.catalog)
        audit.record("catalog.entry.change", by=actor, obj=target, details={"changes": sorted(changes)})
        return target


def retire_entry(*, actor: Actor, entry: CatalogEntry, on: datetime.date) -> CatalogEntry:
    """Retire an entry: it is no longer offered, and records that use it keep it."""
    require_system_admin(actor, "catalog.entry.retire")
    with transaction.atomic():
        target = CatalogEntry.objects.select_for_update().select_related("catalog").get(pk=entry.pk)
        if target.retired_on is not None:
            raise ValidationError(_("This entry has already been retired."))
        target.retired_on = on
        target.save(update_fields=["retired_on"])
        _bump(target.catalog)
        audit.record("catalog.entry.retire", by=actor, obj=target)
        return target
