from __future__ import annotations

from django.db.models import QuerySet

from tacnghiep.directory.models import Catalog, CatalogEntry


def catalogs() -> QuerySet[Catalog]:
    """Catalogs are shared reference data: every signed-in person may read them."""
    return Catalog.objects.all()


def entries(catalog_code: str, *, include_retired: bool = False) -> QuerySet[CatalogEntry]:
    qs = CatalogEntry.objects.filter(catalog__code=catalog_code)
    if not include_retired:
        qs = qs.filter(retired_on__isnull=True)
    return qs.order_by("sort_order", "name")
