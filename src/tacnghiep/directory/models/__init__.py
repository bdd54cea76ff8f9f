from tacnghiep.directory.models.access import ADMIN_ROLES, ApiToken, Delegation, Role, RoleGrant, SignInSession
from tacnghiep.directory.models.catalogs import Catalog, CatalogEntry
from tacnghiep.directory.models.organizations import Organization, OrganizationKind, Succession, SuccessionKind
from tacnghiep.directory.models.people import Gender, Membership, Person

__all__ = [
    "ADMIN_ROLES",
    "ApiToken",
    "Catalog",
    "CatalogEntry",
    "Delegation",
    "Gender",
    "Membership",
    "Organization",
    "OrganizationKind",
    "Person",
    "Role",
    "RoleGrant",
    "SignInSession",
    "Succession",
    "SuccessionKind",
]
