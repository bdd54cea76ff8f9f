"""The demo province: Lâm Đồng after 1 July 2025 (reference/domain.md §8).

The current tree is built through the same services an administrator uses, so
the demo also leaves a realistic audit trail. Commune-level units and their
codes come from the ``vietnam-provinces`` package. Identifier codes of Party
bodies are not public, so the demo leaves them empty.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from vietnam_provinces import Province, Ward

from tacnghiep.core.text import fold
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import CatalogEntry, Organization, OrganizationKind, Person, Role
from tacnghiep.directory.services import bootstrap, catalogs, delegations, organizations, people, roles

MERGER_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE = MERGER_DAY - datetime.timedelta(days=1)
PROVINCE = "Lâm Đồng"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "K'",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Ngọc", "Quốc", "Thu", "Hồng", "Xuân", "Kim", "Bảo", "Anh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngọc",
    "Phong",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Vy",
    "Yến",
    "Đạt",
    "Điệp",
    "Ánh",
    "Ân",
    "Oanh",
]

BOARDS = [
    ("Thường trực Tỉnh ủy", "TTTU", "standing-committee"),
    ("Ban Thường vụ Tỉnh ủy", "BTVTU", "standing-committee"),
    ("Văn phòng Tỉnh ủy", "VPTU", "office"),
    ("Ban Tổ chức Tỉnh ủy", "BTCTU", "board"),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU", "board"),
    ("Ban Nội chính Tỉnh ủy", "BNCTU", "board"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU", "inspection-commission"),
    ("Đảng ủy các cơ quan Đảng tỉnh", "ĐUCCQĐ", "agencies-committee"),
    ("Đảng ủy Ủy ban nhân dân tỉnh", "ĐUUBND", "government-committee"),
    ("Đảng ủy Quân sự tỉnh", "ĐUQS", "armed-forces-committee"),
    ("Đảng ủy Công an tỉnh", "ĐUCA", "armed-forces-committee"),
    ("Đảng ủy Bộ đội Biên phòng tỉnh", "ĐUBĐBP", "armed-forces-committee"),
]
OFFICE_UNITS = [
    ("Phòng Tổng hợp", "PTH"),
    ("Phòng Hành chính – Lưu trữ", "PHCLT"),
    ("Phòng Quản trị – Tài vụ", "PQTTV"),
]
COMMUNE_UNITS = [
    ("Văn phòng Đảng ủy", "VPĐU", "office"),
    ("Ban Xây dựng Đảng Đảng ủy", "BXDĐ", "board"),
    ("Ủy ban Kiểm tra Đảng ủy", "UBKTĐU", "inspection-commission"),
]

# Former provincial and district-level committees, ended on 30/06/2025, with the units that took them over.
FORMER_PROVINCES = [
    ("Tỉnh ủy Lâm Đồng (đến 30/6/2025)", datetime.date(1976, 2, 2)),
    ("Tỉnh ủy Đắk Nông", datetime.date(2004, 1, 1)),
    ("Tỉnh ủy Bình Thuận", datetime.date(1992, 1, 1)),
]
# (former province, name, words that end the names of the new units that took over) — illustrative.
FORMER_DISTRICTS = [
    (0, "Thành ủy Đà Lạt", ["Đà Lạt"]),
    (0, "Thành ủy Bảo Lộc", ["Bảo Lộc"]),
    (1, "Thành ủy Gia Nghĩa", ["Gia Nghĩa"]),
    (1, "Huyện ủy Đắk R'lấp", ["Kiến Đức", "Quảng Tín", "Nhân Cơ"]),
    (2, "Thành ủy Phan Thiết", ["Phan Thiết"]),
    (2, "Huyện ủy Phú Quý", ["Phú Quý"]),
]


# The named demo sign-ins, printed by `tacnghiep demo` (username, role, note).
ACCOUNTS = [
    ("quantri", "Quản trị hệ thống", "bắt buộc xác thực hai lớp (TOTP) khi đăng nhập lần đầu"),
    ("lanhdao.vptu", "Lãnh đạo – Chánh Văn phòng Tỉnh ủy", ""),
    ("phochanh.vptu", "Lãnh đạo – Phó Chánh Văn phòng", "được ủy quyền thay Chánh Văn phòng"),
    ("vanthu.vptu", "Văn thư – Văn phòng Tỉnh ủy", ""),
    ("chuyenvien.vptu", "Chuyên viên – Văn phòng Tỉnh ủy", ""),
    ("quantri.xuanhuong", "Quản trị đơn vị – Đảng ủy phường Xuân Hương - Đà Lạt", "bắt buộc TOTP"),
    ("bithu.xuanhuong", "Lãnh đạo – Đảng ủy phường Xuân Hương - Đà Lạt", ""),
    ("vanthu.xuanhuong", "Văn thư – Đảng ủy phường Xuân Hương - Đà Lạt", ""),
    ("chuyenvien.xuanhuong", "Chuyên viên – Đảng ủy phường Xuân Hương - Đà Lạt", ""),
    ("quantri.camly", "Quản trị đơn vị – Đảng ủy phường Cam Ly - Đà Lạt", "bắt buộc TOTP"),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    organization: str
    note: str = ""


@dataclass
class DemoResult:
    organizations: int = 0
    people: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)
    already_loaded: bool = False


def person_name(rng: random.Random) -> str:
    middle = rng.choice(MIDDLE)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}".replace("K' ", "K'")


def commune_name(ward: Ward) -> str:
    kind, _sep, rest = ward.name.partition(" ")
    return f"Đảng ủy {kind.lower()} {rest}"


class _Builder:
    def __init__(self, password: str, rng: random.Random) -> None:
        self.password = password
        self.rng = rng
        self.kinds = {k.code: k for k in OrganizationKind.objects.all()}
        self.positions = {e.code: e for e in CatalogEntry.objects.filter(catalog__code="positions")}
        self.ethnic = list(CatalogEntry.objects.filter(catalog__code="ethnic-groups").order_by("sort_order")[:12])
        self.result = DemoResult()
        self.usernames: set[str] = set()
        self.actor: Actor

    def org(self, parent: Organization | None, name: str, short: str, kind: str, **extra: object) -> Organization:
        data = organizations.OrganizationData(
            parent=parent,
            name=name,
            short_name=short,
            kind=self.kinds[kind],
            valid_from=MERGER_DAY,
            **extra,  # type: ignore[arg-type]
        )
        self.result.organizations += 1
        return organizations.create_organization(actor=self.actor, data=data)

    def username_for(self, full_name: str) -> str:
        base = fold(full_name).replace(" ", "").replace("'", "")
        candidate, n = base, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{base}{n}"
        self.usernames.add(candidate)
        return candidate

    def person(
        self,
        org: Organization,
        position: str,
        *,
        username: str | None = None,
        full_name: str | None = None,
        role: str | None = None,
        role_at: Organization | None = None,
        sign_in: bool = False,
        note: str = "",
    ) -> Person:
        name = full_name or person_name(self.rng)
        login = username or self.username_for(name)
        self.usernames.add(login)
        person = people.create_person(
            actor=self.actor,
            organization=org,
            username=login,
            full_name=name,
            position=self.positions[position],
            valid_from=MERGER_DAY,
            email=f"{login}@demo.tacnghiep.invalid",  # a reserved domain: demo mail can reach no one
            ethnic_group=self.rng.choice(self.ethnic) if self.ethnic else None,
        )
        self.result.people += 1
        if role:
            at = role_at or org  # a clerk sits in an office and keeps the registers of the committee it serves
            roles.grant_role(actor=self.actor, person=person, organization=at, role=role, valid_from=MERGER_DAY)
        if sign_in:
            people.set_password(actor=self.actor, person=person, password=self.password)
            self.result.accounts.append(DemoAccount(login, str(Role(role).label) if role else "", org.name, note))
        return person


def load(*, password: str, seed: int = 2025) -> DemoResult:
    """Load the demo province once; running it again changes nothing."""
    if Organization.objects.filter(name=f"Tỉnh ủy {PROVINCE}").exists():
        return DemoResult(already_loaded=True)
    catalogs.load_reference_data()
    with transaction.atomic():
        return _load(password, random.Random(seed))


def _load(password: str, rng: random.Random) -> DemoResult:
    b = _Builder(password, rng)
    root = bootstrap.create_root_organization(
        name=f"Tỉnh ủy {PROVINCE}", short_name="TU", kind_code="provincial-committee", valid_from=MERGER_DAY
    )
    b.result.organizations += 1
    admin = bootstrap.create_system_admin(
        username="quantri", full_name="Nguyễn Quản Trị", password=password, organization=root
    )
    b.result.accounts.append(DemoAccount("quantri", str(Role.SYSTEM_ADMIN.label), root.name, "TOTP"))
    b.actor = Actor(person=admin)

    b.person(root, "bi-thu", role=Role.LEADER)
    b.person(root, "pho-bi-thu", role=Role.LEADER)
    units: dict[str, Organization] = {}
    for order, (name, short, kind) in enumerate(BOARDS):
        units[short] = b.org(root, name, short, kind, sort_order=order)
    office = units["VPTU"]
    for name, short in OFFICE_UNITS:
        units[short] = b.org(office, name, short, "department")
    leader = b.person(
        office, "chanh-van-phong", username="lanhdao.vptu", full_name="Trần Minh Đức", role=Role.LEADER, sign_in=True
    )
    deputy = b.person(
        office,
        "pho-chanh-van-phong",
        username="phochanh.vptu",
        full_name="Lê Thị Hồng Hạnh",
        role=Role.LEADER,
        sign_in=True,
        note="đang được ủy quyền thay Chánh Văn phòng",
    )
    b.person(
        units["PHCLT"],
        "van-thu",
        username="vanthu.vptu",
        full_name="Phạm Thu Trang",
        role=Role.CLERK,
        role_at=root,
        sign_in=True,
    )
    b.person(
        units["PTH"],
        "chuyen-vien",
        username="chuyenvien.vptu",
        full_name="Hoàng Quốc Tuấn",
        role=Role.SPECIALIST,
        sign_in=True,
    )
    for short in ("BTCTU", "BTGDVTU", "BNCTU", "UBKTTU", "ĐUCCQĐ", "ĐUUBND", "ĐUQS", "ĐUCA", "ĐUBĐBP"):
        head = "chu-nhiem-ubkt" if short == "UBKTTU" else ("bi-thu" if short.startswith("ĐU") else "truong-ban")
        b.person(units[short], head, role=Role.LEADER)
        b.person(units[short], "chuyen-vien", role=Role.SPECIALIST)
        b.person(units[short], "van-thu", role=Role.CLERK)
    for _n in range(4):
        b.person(units[b.rng.choice(["PTH", "PHCLT", "PQTTV"])], "chuyen-vien", role=Role.SPECIALIST)

    province = next(p for p in Province.iter_all() if p.name == PROVINCE)
    wards = sorted((w for w in Ward.iter_all() if w.province_code == province.code), key=lambda w: w.code.value)
    communes: dict[str, Organization] = {}
    for index, ward in enumerate(wards):
        commune = b.org(
            root,
            commune_name(ward),
            "ĐU",
            "commune-committee",
            administrative_unit_code=str(ward.code.value),
            sort_order=100 + index,
        )
        communes[ward.name] = commune
        place = commune.name.removeprefix("Đảng ủy ")
        commune_units = {short: b.org(commune, f"{name} {place}", short, kind) for name, short, kind in COMMUNE_UNITS}
        slug = ward.codename.split("_", 1)[-1].replace("_", "")[:20]
        named = ward.name.startswith("Phường Xuân Hương") or ward.name.startswith("Phường Cam Ly")
        short_slug = "xuanhuong" if "Xuân Hương" in ward.name else ("camly" if "Cam Ly" in ward.name else slug)
        b.person(commune, "bi-thu", role=Role.LEADER, sign_in=named, username=f"bithu.{short_slug}" if named else None)
        b.person(commune, "pho-bi-thu", role=Role.LEADER)
        b.person(
            commune_units["VPĐU"],
            "van-thu",
            role=Role.CLERK,
            role_at=commune,
            sign_in=named,
            username=f"vanthu.{short_slug}" if named else None,
        )
        b.person(
            commune_units["BXDĐ"],
            "chuyen-vien",
            role=Role.SPECIALIST,
            sign_in=named,
            username=f"chuyenvien.{short_slug}" if named else None,
        )
        if named:
            b.person(
                commune_units["VPĐU"],
                "chuyen-vien",
                role=Role.UNIT_ADMIN,
                sign_in=True,
                username=f"quantri.{short_slug}",
                note="quản trị đơn vị: chỉ trong xã/phường này",
            )

    _former_units(b, root, communes)
    _registers(b.actor, root, list(communes.values()))
    now = timezone.now()
    delegations.create_delegation(
        actor=Actor(person=leader),
        delegator=leader,
        delegate=deputy,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=30),
        reason="Chánh Văn phòng đi công tác",
    )
    return b.result


def _former_units(b: _Builder, root: Organization, communes: dict[str, Organization]) -> None:
    """Pre-merger provincial and district committees as ended nodes linked to their successors."""
    formers: list[Organization] = []
    for name, since in FORMER_PROVINCES:
        org = bootstrap.create_root_organization(
            name=name, short_name="TU", kind_code="provincial-committee", valid_from=since
        )
        formers.append(org)
    for province_index, name, places in FORMER_DISTRICTS:
        parent = formers[province_index]
        short = "ThU" if name.startswith("Thành ủy") else "HU"
        district = organizations.create_organization(
            actor=b.actor,
            data=organizations.OrganizationData(
                parent=parent,
                name=name,
                short_name=short,
                kind=b.kinds["district-committee"],
                valid_from=datetime.date(2000, 1, 1),
            ),
        )
        b.result.organizations += 1
        successors = [org for ward_name, org in communes.items() if any(ward_name.endswith(place) for place in places)]
        organizations.end_organization(
            actor=b.actor,
            organization=district,
            valid_to=LAST_DAY_BEFORE,
            successors=successors[:6],
            kind="split" if len(successors) > 1 else "rename",
            note="Kết thúc hoạt động theo Hướng dẫn 31-HD/BTCTW",
        )
    for former in formers:
        organizations.end_organization(
            actor=b.actor,
            organization=former,
            valid_to=LAST_DAY_BEFORE,
            successors=[root],
            kind="merge",
            note="Hợp nhất theo Nghị quyết 60-NQ/TW",
        )
    b.result.organizations += len(formers)


# The provincial congress closed on 10/10/2025 (reference/domain.md §8); the commune committees were
# appointed from 1/7/2025. Both dates are data on the register and can be edited.
PROVINCE_TERM_START = datetime.date(2025, 10, 11)


def _registers(actor: Actor, root: Organization, communes: list[Organization]) -> None:
    """An incoming register (per year, NĐ 30) and a Party outgoing register (per type per term, HD 36) each."""
    from tacnghiep.documents.models import Direction, PeriodKind, SecretSeries
    from tacnghiep.documents.services.registers import create_register

    for org, term_start in [(root, PROVINCE_TERM_START)] + [(c, MERGER_DAY) for c in communes]:
        create_register(
            actor=actor,
            organization=org,
            name="Sổ văn bản đến",
            direction=Direction.INCOMING,
            period_kind=PeriodKind.CALENDAR_YEAR,
        )
        create_register(
            actor=actor,
            organization=org,
            name="Sổ văn bản đi",
            direction=Direction.OUTGOING,
            period_kind=PeriodKind.PARTY_TERM,
            term_started_on=term_start,
            per_document_type=True,
            secret_series=SecretSeries.SHARED,
            notation_template="{n}-{type}/{issuer}",
        )
