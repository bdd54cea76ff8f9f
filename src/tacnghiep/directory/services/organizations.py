from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.changes import apply_changes
from tacnghiep.core.text import fold, normalize
from tacnghiep.directory import codes, tree
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Organization, OrganizationKind, Succession
from tacnghiep.directory.services._common import require_admin_of

EDITABLE = (
    "name",
    "short_name",
    "code_qcvn102",
    "code_qd20",
    "administrative_unit_code",
    "address",
    "phone",
    "email",
    "sort_order",
    "is_external",
    "kind",
    "valid_from",
)


@dataclass
class OrganizationData:
    name: str
    short_name: str
    kind: OrganizationKind
    valid_from: datetime.date
    parent: Organization | None = None
    code_qcvn102: str = ""
    code_qd20: str = ""
    administrative_unit_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    sort_order: int = 0
    is_external: bool = False


def clean_organization(org: Organization) -> None:
    org.name = normalize(org.name)
    org.short_name = normalize(org.short_name)
    org.code_qcvn102 = org.code_qcvn102.strip().upper()
    org.code_qd20 = org.code_qd20.strip().upper()
    errors: dict[str, list[str]] = {}
    if not org.name:
        errors.setdefault("name", []).append(_("The full name is required."))
    if not org.short_name:
        errors.setdefault("short_name", []).append(_("The short name is required."))
    for field, validator in (("code_qcvn102", codes.validate_qcvn102), ("code_qd20", codes.validate_qd20)):
        value = getattr(org, field)
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
    if org.is_external and not (org.code_qcvn102 or org.code_qd20):
        errors.setdefault("is_external", []).append(
            _("An organization outside the system needs an identifier code: documents reach it by that code.")
        )
    if org.valid_to is not None and org.valid_to < org.valid_from:
        errors.setdefault("valid_to", []).append(_("The end date cannot be before the start date."))
    if org.parent is not None and org.parent.valid_to is not None and org.valid_to is None:
        errors.setdefault("parent", []).append(_("A current organization cannot be placed under an ended one."))
    errors.update(_code_conflicts(org))
    if errors:
        raise ValidationError(errors)
    org.search_text = fold(" ".join([org.name, org.short_name, org.code_qcvn102, org.code_qd20]))[:600]


def _code_conflicts(org: Organization) -> dict[str, list[str]]:
    """Identifier codes are unique among organizations that have not ended."""
    if org.valid_to is not None:
        return {}
    errors: dict[str, list[str]] = {}
    for field in ("code_qcvn102", "code_qd20"):
        value = getattr(org, field)
        if value:
            clash = Organization.objects.filter(Q(**{field: value}), valid_to__isnull=True).exclude(pk=org.pk).first()
            if clash is not None:
                errors[field] = [_("This code is already used by “%(name)s”.") % {"name": clash.name}]
    return errors


def place_in_tree(org: Organization) -> None:
    prefix = org.parent.path if org.parent else ""
    org.path = prefix + tree.segment(org.pk)
    org.depth = len(tree.ancestor_ids(org.path)) - 1


def create_organization(*, actor: Actor, data: OrganizationData) -> Organization:
    require_admin_of(actor, data.parent, "organization.create")
    with transaction.atomic():
        org = Organization(**data.__dict__)
        clean_organization(org)
        org.save()
        place_in_tree(org)
        org.save(update_fields=["path", "depth"])
        audit.record("organization.create", by=actor, organization=org, obj=org, details={"name": org.name})
        return org


def update_organization(*, actor: Actor, organization: Organization, changes: dict[str, Any]) -> Organization:
    require_admin_of(actor, organization, "organization.change")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        details = apply_changes(org, changes, EDITABLE)
        clean_organization(org)
        org.save()
        audit.record("organization.change", by=actor, organization=org, obj=org, details=details)
        return org


def move_organization(*, actor: Actor, organization: Organization, new_parent: Organization) -> Organization:
    """Place ``organization`` (and its subtree) under ``new_parent``; the actor must administer both."""
    require_admin_of(actor, organization, "organization.move")
    require_admin_of(actor, new_parent, "organization.move")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if new_parent.path.startswith(org.path):
            raise ValidationError({"parent": _("An organization cannot be moved under itself or its own subtree.")})
        old_path, old_parent = org.path, org.parent
        org.parent = new_parent
        place_in_tree(org)
        org.save(update_fields=["parent", "path", "depth"])
        depth_shift = org.depth - (len(tree.ancestor_ids(old_path)) - 1)
        descendants = Organization.objects.filter(tree.subtree_q([old_path])).exclude(pk=org.pk)
        for child in descendants:
            child.path = org.path + child.path[len(old_path) :]
            child.depth += depth_shift
        Organization.objects.bulk_update(descendants, ["path", "depth"], batch_size=500)
        audit.record(
            "organization.move",
            by=actor,
            organization=org,
            obj=org,
            details={"from": old_parent.pk if old_parent else None, "to": new_parent.pk},
        )
        return org


def end_organization(
    *,
    actor: Actor,
    organization: Organization,
    valid_to: datetime.date,
    successors: list[Organization] | None = None,
    kind: str = "merge",
    note: str = "",
) -> Organization:
    """End an organization on ``valid_to`` (it stays readable) and link its successors."""
    require_admin_of(actor, organization, "organization.end")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.valid_to is not None:
            raise ValidationError(_("This organization has already ended."))
        if Organization.objects.filter(parent=org, valid_to__isnull=True).exists():
            raise ValidationError(_("End or move its current sub-units first."))
        org.valid_to = valid_to
        clean_organization(org)
        org.save(update_fields=["valid_to"])
        for successor in successors or []:
            Succession.objects.create(
                predecessor=org,
                successor=successor,
                kind=kind,
                effective_on=valid_to + datetime.timedelta(days=1),
                note=note,
            )
        audit.record(
            "organization.end",
            by=actor,
            organization=org,
            obj=org,
            details={"valid_to": valid_to.isoformat(), "successors": [s.pk for s in successors or []]},
        )
        return org
