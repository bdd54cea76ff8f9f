"""Build a realistic directory for benchmarks: a province of 5,000 organizations and 50,000 people.

The shape follows the 2025 structure: a provincial committee with its boards and
provincial Party committees, 124 commune committees, and under each commune its
office, boards and Party cells. Rows are bulk-inserted with precomputed tree paths
(this is a data generator, not a product path); the directory services are not
bypassed anywhere else.

    python -m bench.generate --organizations 5000 --people 50000
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(args.organizations, args.people, random.Random(args.seed))
    print(f"generated {counts} in {time.perf_counter() - started:.1f} s")


def generate(n_orgs: int, n_people: int, rng: random.Random) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from tacnghiep.core.text import fold
    from tacnghiep.directory import demo, tree
    from tacnghiep.directory.models import (
        CatalogEntry,
        Membership,
        Organization,
        OrganizationKind,
        Person,
        Role,
        RoleGrant,
    )
    from tacnghiep.directory.services.catalogs import load_reference_data
    from tacnghiep.directory.services.people import sort_key_for

    load_reference_data()
    kinds = {k.code: k for k in OrganizationKind.objects.all()}
    positions = list(CatalogEntry.objects.filter(catalog__code="positions"))
    start = datetime.date(2025, 7, 1)
    orgs: list[Organization] = []

    def add(parent: Organization | None, name: str, short: str, kind: str) -> Organization:
        org = Organization(
            pk=len(orgs) + 1,
            parent=parent,
            name=name,
            short_name=short,
            kind=kinds[kind],
            valid_from=start,
            sort_order=len(orgs),
            search_text=fold(f"{name} {short}"),
        )
        org.path = (parent.path if parent else "") + tree.segment(org.pk)
        org.depth = len(tree.ancestor_ids(org.path)) - 1
        orgs.append(org)
        return org

    root = add(None, "Tỉnh ủy Lâm Đồng", "TU", "provincial-committee")
    for name, short, kind in demo.BOARDS:
        add(root, name, short, kind)
    communes = [add(root, f"Đảng ủy xã Mẫu {i + 1}", "ĐU", "commune-committee") for i in range(124)]
    leaves: list[Organization] = []
    i = 0
    while len(orgs) < n_orgs:
        commune = communes[i % len(communes)]
        leaves.append(add(commune, f"Chi bộ {i // len(communes) + 1} – {commune.name}", "CB", "cell"))
        i += 1

    password = make_password("Bench-mat-khau-2026")
    people: list[Person] = []
    memberships: list[Membership] = []
    units = [root, *communes, *leaves]
    for n in range(n_people):
        full_name = demo.person_name(rng)
        username = f"cb{n:06d}"
        person = Person(
            pk=n + 1,
            username=username,
            full_name=full_name,
            email=f"{username}@lamdong.invalid",
            password=password if n < 50 else "!",
            sort_key=sort_key_for(full_name),
            search_text=fold(f"{full_name} {username} {username}@lamdong.invalid"),
        )
        people.append(person)
        org = units[n % len(units)] if n >= 50 else root
        memberships.append(
            Membership(
                person=person, organization=org, position=rng.choice(positions), is_primary=True, valid_from=start
            )
        )
        if n % 20 == 0:  # one in twenty also holds a second position
            memberships.append(
                Membership(
                    person=person,
                    organization=rng.choice(units),
                    position=rng.choice(positions),
                    is_primary=False,
                    valid_from=start,
                )
            )
    grants = [RoleGrant(person=people[n], organization=root, role=Role.LEADER, valid_from=start) for n in range(50)]
    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=1000)
        Person.objects.bulk_create(people, batch_size=2000)
        Membership.objects.bulk_create(memberships, batch_size=2000)
        RoleGrant.objects.bulk_create(grants)
    _reset_sequences()
    _analyze()
    return {"organizations": len(orgs), "people": len(people), "memberships": len(memberships)}


def _analyze() -> None:
    """Statistics (and, on PostgreSQL, the visibility map) as autovacuum would leave them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from tacnghiep.directory.models import Organization, Person

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Organization, Person]):
            cursor.execute(sql)


if __name__ == "__main__":
    main()
