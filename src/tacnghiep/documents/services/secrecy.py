"""Who may read a secret document beyond the rule of roles (văn bản mật)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tacnghiep.core import audit
from tacnghiep.core.access import deny
from tacnghiep.core.notifications import notify
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person, Role
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.models import DocumentEvent, EventKind, IncomingDocument, OutgoingDocument, SecretGrant


def can_grant(actor: Actor, document: IncomingDocument | OutgoingDocument) -> bool:
    """Leaders of the organization that holds the document decide who else reads it."""
    return document.is_secret and actor.has_role(Role.LEADER, document.organization)


def grant(*, actor: Actor, document: IncomingDocument | OutgoingDocument, person: Person) -> SecretGrant:
    if not can_grant(actor, document):
        raise deny("secret.grant", by=actor, obj=document)
    if not people_selectors.readable(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": [_("A person outside your scope cannot be given access.")]})
    incoming = document if isinstance(document, IncomingDocument) else None
    outgoing = document if isinstance(document, OutgoingDocument) else None
    with transaction.atomic():
        if SecretGrant.objects.filter(incoming=incoming, outgoing=outgoing, person=person).exists():
            raise ValidationError({"person": [_("This person may already read the document.")]})
        row = SecretGrant.objects.create(incoming=incoming, outgoing=outgoing, person=person, granted_by=actor.person)
        DocumentEvent.objects.create(
            document=incoming,
            outgoing=outgoing,
            kind=EventKind.SECRET_GRANTED,
            actor=actor.person,
            acting_for=actor.acting_for,
            text=person.full_name,
        )
        audit.record(
            "secret.grant",
            by=actor,
            organization=document.organization,
            obj=document,
            details={"person": person.pk},
        )
        notify(person, key=f"secret:{row.pk}", text=_("You may now read a secret document."), link="")
        return row
