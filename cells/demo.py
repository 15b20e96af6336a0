"""Demo data: the small province `make run` loads, and provinces of any size for benchmarks.

Both are built here so every benchmark and every demo stands on the same shapes. Other apps extend
a built province (frameworks, meetings, campaigns) by registering a function with
:func:`register_demo_extension`; ``make_demo`` and ``load_demo`` call them in order.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from . import services
from .models import (
    CELL_LEVELS,
    CellType,
    Level,
    Member,
    MemberStatus,
    OfficerTerm,
    Organization,
    Position,
    Role,
    RoleAssignment,
    path_segment,
)
from .services import open_first_intervals
from .text import fold

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Hà"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hữu", "Ngọc", "Thanh", "Xuân", "Hồng", "Công"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
    "Hải",
    "Huyền",
    "Khánh",
    "Linh",
    "Thắng",
    "Tùng",
]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@dataclass
class DemoContext:
    """What a demo build made, handed to the extensions of other apps."""

    province: Organization
    years: list[int]
    rng: random.Random
    users: dict[str, object] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    small: bool = False


DemoExtension = Callable[[DemoContext], None]
_extensions: list[tuple[int, DemoExtension]] = []


def register_demo_extension(order: int) -> Callable[[DemoExtension], DemoExtension]:
    """Register ``fn(context)`` to run after the tree is built; lower ``order`` runs first."""

    def decorator(fn: DemoExtension) -> DemoExtension:
        if all(existing is not fn for _order, existing in _extensions):
            _extensions.append((order, fn))
            _extensions.sort(key=lambda item: item[0])
        return fn

    return decorator


def run_extensions(context: DemoContext) -> None:
    for _order, extension in _extensions:
        extension(context)


# --- The small province of `make run`, from the seeds ------------------------------------------------

# (code, name, level, cell type code or None, children)
SMALL_PROVINCE = (
    "TU-YB",
    "Đảng bộ tỉnh Yên Bái",
    Level.PROVINCE,
    None,
    [
        (
            "TP-YB",
            "Đảng bộ thành phố Yên Bái",
            Level.DISTRICT,
            None,
            [
                (
                    "P-NTH",
                    "Đảng bộ phường Nguyễn Thái Học",
                    Level.GRASSROOTS,
                    None,
                    [
                        *[
                            (f"P-NTH-TDP{n}", f"Chi bộ Tổ dân phố số {n}", Level.CELL, "residential", [])
                            for n in range(1, 8)
                        ],
                        ("P-NTH-THNTH", "Chi bộ Trường Tiểu học Nguyễn Thái Học", Level.CELL, "public_service", []),
                        ("P-NTH-THCSBT", "Chi bộ Trường Trung học cơ sở Bình Tân", Level.CELL, "public_service", []),
                        ("P-NTH-CA", "Chi bộ Công an phường", Level.CELL, "armed_forces", []),
                        ("P-NTH-QS", "Chi bộ Quân sự phường", Level.CELL, "armed_forces", []),
                        ("P-NTH-CQ", "Chi bộ Cơ quan Ủy ban nhân dân phường", Level.CELL, "administrative", []),
                    ],
                ),
                (
                    "X-TT",
                    "Đảng bộ xã Tân Thịnh",
                    Level.GRASSROOTS,
                    None,
                    [
                        *[
                            (f"X-TT-TH{n}", f"Chi bộ Thôn {name}", Level.CELL, "residential", [])
                            for n, name in enumerate(
                                ["Thanh Hùng", "Đồng Đình", "Cường Thịnh", "Thanh Niên", "Tân Thành"], 1
                            )
                        ],
                        ("X-TT-TMN", "Chi bộ Trường Mầm non Tân Thịnh", Level.CELL, "public_service", []),
                        ("X-TT-TYT", "Chi bộ Trạm Y tế xã", Level.CELL, "public_service", []),
                    ],
                ),
                (
                    "TP-YB-MT",
                    "Đảng bộ Công ty Cổ phần Môi trường đô thị",
                    Level.GRASSROOTS,
                    None,
                    [
                        ("TP-YB-MT-KT", "Chi bộ Phòng Kỹ thuật", Level.CELL, "enterprise", []),
                        ("TP-YB-MT-VS", "Chi bộ Đội Vệ sinh môi trường", Level.CELL, "enterprise", []),
                    ],
                ),
                ("TP-YB-UBKT", "Chi bộ Cơ quan Ủy ban Kiểm tra Thành ủy", Level.GRASSROOTS_CELL, "administrative", []),
                ("TP-YB-BTC", "Chi bộ Cơ quan Ban Tổ chức Thành ủy", Level.GRASSROOTS_CELL, "administrative", []),
            ],
        ),
        (
            "H-VY",
            "Đảng bộ huyện Văn Yên",
            Level.DISTRICT,
            None,
            [
                (
                    "X-DC",
                    "Đảng bộ xã Đông Cuông",
                    Level.GRASSROOTS,
                    None,
                    [
                        *[
                            (f"X-DC-B{n}", f"Chi bộ Bản {name}", Level.CELL, "residential", [])
                            for n, name in enumerate(["Khe Cả", "Đồng Tâm", "Đức Tiến", "Khe Dứa"], 1)
                        ],
                        ("X-DC-THCS", "Chi bộ Trường Trung học cơ sở Đông Cuông", Level.CELL, "public_service", []),
                    ],
                ),
                (
                    "H-VY-BV",
                    "Đảng bộ Bệnh viện Đa khoa huyện Văn Yên",
                    Level.GRASSROOTS,
                    None,
                    [
                        (
                            "H-VY-BV-LS",
                            "Đảng bộ bộ phận Khối Lâm sàng",
                            Level.PARTIAL,
                            None,
                            [
                                ("H-VY-BV-NOI", "Chi bộ Khoa Nội", Level.CELL, "public_service", []),
                                ("H-VY-BV-NGOAI", "Chi bộ Khoa Ngoại", Level.CELL, "public_service", []),
                            ],
                        ),
                        ("H-VY-BV-HC", "Chi bộ Phòng Hành chính - Quản trị", Level.CELL, "administrative", []),
                    ],
                ),
                ("H-VY-QS", "Chi bộ Ban Chỉ huy Quân sự huyện", Level.GRASSROOTS_CELL, "armed_forces", []),
            ],
        ),
        (
            "DUK",
            "Đảng bộ Khối các cơ quan tỉnh",
            Level.DISTRICT,
            None,
            [
                (
                    "DUK-DHYD",
                    "Đảng bộ Trường Đại học Y Dược",
                    Level.GRASSROOTS,
                    None,
                    [
                        ("DUK-DHYD-KY", "Chi bộ Khoa Y", Level.CELL, "public_service", []),
                        ("DUK-DHYD-KD", "Chi bộ Khoa Dược", Level.CELL, "public_service", []),
                        ("DUK-DHYD-DT", "Chi bộ Phòng Đào tạo", Level.CELL, "administrative", []),
                        ("DUK-DHYD-SV", "Chi bộ Sinh viên", Level.CELL, "other", []),
                    ],
                ),
                ("DUK-STC", "Chi bộ Sở Tài chính", Level.GRASSROOTS_CELL, "administrative", []),
            ],
        ),
    ],
)

# Each committee's document details (sign, place, usual signer, position): what its reports print.
DEMO_DOCUMENT_DETAILS = {
    "TU-YB": ("TU", "Yên Bái", "Hoàng Văn Sơn", "BÍ THƯ"),
    "TP-YB": ("TU", "Yên Bái", "Lê Quang Việt", "BÍ THƯ"),
    "H-VY": ("HU", "Văn Yên", "Nguyễn Đức Thắng", "BÍ THƯ"),
    "DUK": ("ĐUK", "Yên Bái", "Trần Thị Thu Hà", "BÍ THƯ"),
    "P-NTH": ("ĐU", "Nguyễn Thái Học", "Phạm Văn Hải", "BÍ THƯ"),
    "X-TT": ("ĐU", "Tân Thịnh", "Lò Văn Pằng", "BÍ THƯ"),
    "TP-YB-MT": ("ĐU", "Yên Bái", "Đinh Quang Huy", "BÍ THƯ"),
    "X-DC": ("ĐU", "Đông Cuông", "Hoàng Thị Nhàn", "BÍ THƯ"),
    "H-VY-BV": ("ĐU", "Văn Yên", "Vũ Minh Châu", "BÍ THƯ"),
    "H-VY-BV-LS": ("ĐU", "Văn Yên", "Lê Thị Hoa", "BÍ THƯ"),
    "DUK-DHYD": ("ĐU", "Yên Bái", "Ngô Quốc Bảo", "BÍ THƯ"),
}

# username → (organisation code, role, full name). Secretaries get their cell; the rest a subtree.
SMALL_USERS = [
    ("canbo.tinh", "TU-YB", Role.STAFF, "Nguyễn Thị Hạnh"),
    ("lanhdao.tinh", "TU-YB", Role.LEADERSHIP, "Hoàng Văn Sơn"),
    ("canbo.thanhpho", "TP-YB", Role.STAFF, "Trần Minh Tuấn"),
    ("lanhdao.thanhpho", "TP-YB", Role.LEADERSHIP, "Lê Quang Việt"),
    ("canbo.vanyen", "H-VY", Role.STAFF, "Phạm Thu Trang"),
    ("canbo.phuong", "P-NTH", Role.STAFF, "Đỗ Thị Lan"),
    ("giamsat.phuong", "P-NTH", Role.SUPERVISOR, "Vũ Đức Long"),
    ("bithu.tdp1", "P-NTH-TDP1", Role.SECRETARY, "Bùi Văn Nam"),
    ("bithu.thcs", "P-NTH-THCSBT", Role.SECRETARY, "Ngô Thị Mai"),
    ("bithu.bankhe", "X-DC-B1", Role.SECRETARY, "Hà Văn Dũng"),
]


@transaction.atomic
def build_small_province(rng: random.Random | None = None) -> DemoContext:
    """The province `make run` loads: every level and cell type, rosters, officers, a user per role."""
    rng = rng or random.Random(2024)  # nosec B311 - demo data, reproducible on purpose; never a secret
    cell_types = {ct.code: ct for ct in CellType.objects.all()}
    established = datetime.date(2020, 1, 1)

    def build(node, parent=None) -> Organization:
        code, name, level, type_code, children = node
        organization = services.organization_create(
            code=code,
            name=name,
            level=level,
            parent=parent,
            cell_type=cell_types[type_code] if type_code else None,
            committee_size=3 if level in CELL_LEVELS else 7,
            deputy_slots=1,
            established_on=established,
            acting_user=None,
            **dict(
                zip(
                    ("sign", "place", "signer_name", "signer_position"),
                    DEMO_DOCUMENT_DETAILS.get(code, ()),
                    strict=False,
                )
            ),
        )
        for child in children:
            build(child, organization)
        return organization

    province = build(SMALL_PROVINCE)
    cells = list(Organization.objects.subtree_of(province).filter(level__in=CELL_LEVELS))
    _fill_rosters(cells, rng, members_per_cell=(9, 24), started_on=established)
    # One cell keeps a vacant deputy seat, so the vacancy view has something to show (Y6).
    OfficerTerm.objects.filter(organization__code="P-NTH-TDP7", position=Position.DEPUTY_SECRETARY).delete()
    context = DemoContext(
        province=province, years=[timezone.localdate().year - 1, timezone.localdate().year], rng=rng, small=True
    )
    for username, org_code, role, full_name in SMALL_USERS:
        password = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
        first, _sep, last = full_name.rpartition(" ")
        user = get_user_model().objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
        )
        RoleAssignment.objects.create(
            user=user, organization=Organization.objects.get(code=org_code), role=role, valid_from=established
        )
        context.users[username] = user
        context.passwords[username] = password
    return context


# --- Provinces of any size, for benchmarks ---------------------------------------------------------

# Share of cells per type, roughly as in a mixed province: most cells are residential.
TYPE_MIX = [
    ("residential", 55),
    ("administrative", 12),
    ("public_service", 18),
    ("enterprise", 6),
    ("armed_forces", 5),
    ("other", 4),
]


@transaction.atomic
def build_province(*, cells: int, years: list[int], seed: int = 7, code_prefix: str = "BM") -> DemoContext:
    """A plausible province of ``cells`` cells, built with bulk inserts (5,000 cells in seconds).

    Shape: province → districts (≈ 500 cells each) → grassroots organisations (≈ 12 cells each) →
    cells; a few grassroots cells directly under districts. Every cell has a roster of 12–28 members
    and a secretary; every district has a staff user, every grassroots organisation a supervisor.
    """
    rng = random.Random(seed)  # nosec B311 - benchmark data, reproducible on purpose; never a secret
    types = {ct.code: ct for ct in CellType.objects.all()}
    weights = [w for _code, w in TYPE_MIX]
    type_codes = [code for code, _w in TYPE_MIX]
    today = timezone.localdate()
    started = datetime.date(min(years) - 1, 1, 1) if years else datetime.date(today.year - 1, 1, 1)

    province = services.organization_create(
        code=f"{code_prefix}",
        name=f"Đảng bộ tỉnh Thử nghiệm {code_prefix}",
        level=Level.PROVINCE,
        committee_size=15,
        deputy_slots=2,
        established_on=started,
        acting_user=None,
    )
    n_districts = max(1, round(cells / 500))
    districts = _bulk_orgs(
        province,
        [
            (f"{code_prefix}-H{d:02d}", f"Đảng bộ huyện Thử nghiệm {d}", Level.DISTRICT, None)
            for d in range(1, n_districts + 1)
        ],
        started,
    )
    cell_specs: dict[int, list] = {d.pk: [] for d in districts}
    for index in range(cells):
        district = districts[index % n_districts]
        cell_specs[district.pk].append(index)
    grassroots_by_district: dict[int, list[Organization]] = {}
    for district in districts:
        count = len(cell_specs[district.pk])
        n_grassroots = max(1, count // 12)
        grassroots_specs = [
            (f"{district.code}-X{g:03d}", f"Đảng bộ xã {g} ({district.name.split()[-1]})", Level.GRASSROOTS, None)
            for g in range(1, n_grassroots + 1)
        ]
        grassroots_by_district[district.pk] = _bulk_orgs(district, grassroots_specs, started)
    all_cells: list[Organization] = []
    for district in districts:
        indexes = cell_specs[district.pk]
        grassroots = grassroots_by_district[district.pk]
        by_parent: dict[int, list] = {}
        for position, index in enumerate(indexes):
            type_code = rng.choices(type_codes, weights)[0]
            # One cell in fifty is a grassroots cell directly under the district committee.
            direct = position % 50 == 49
            parent = district if direct else grassroots[position % len(grassroots)]
            level = Level.GRASSROOTS_CELL if direct else Level.CELL
            label = {
                "residential": "Tổ dân phố",
                "administrative": "Cơ quan",
                "public_service": "Trường",
                "enterprise": "Công ty",
                "armed_forces": "Đơn vị",
                "other": "Chi bộ",
            }[type_code]
            by_parent.setdefault(parent.pk, (parent, []))[1].append(
                (f"{code_prefix}-C{index + 1:05d}", f"Chi bộ {label} số {index + 1}", level, types[type_code])
            )
        for parent, specs in by_parent.values():
            all_cells.extend(_bulk_orgs(parent, specs, started))
    _fill_rosters(all_cells, rng, members_per_cell=(12, 28), started_on=started)
    context = DemoContext(province=province, years=years, rng=rng)
    _bulk_users(context, districts, grassroots_by_district, all_cells, started)
    return context


def _bulk_orgs(parent: Organization, specs: list[tuple], established: datetime.date) -> list[Organization]:
    """Insert many children of one parent at once; paths need the ids, so they are set right after."""
    objs = [
        Organization(
            code=code,
            name=name,
            name_folded=fold(name),
            level=level,
            cell_type=cell_type,
            parent=parent,
            depth=parent.depth + 1,
            path="pending",
            committee_size=3 if level in CELL_LEVELS else 7,
        )
        for code, name, level, cell_type in specs
    ]
    created = Organization.objects.bulk_create(objs, batch_size=1000)
    if created and created[0].pk is None:  # backends that do not return ids
        created = list(Organization.objects.filter(parent=parent, path="pending").order_by("pk"))
    for org in created:
        org.path = parent.path + path_segment(org.pk)
    Organization.objects.bulk_update(created, ["path"], batch_size=1000)
    open_first_intervals(created, established)
    return created


def _fill_rosters(
    cells: list[Organization], rng: random.Random, *, members_per_cell: tuple[int, int], started_on: datetime.date
) -> None:
    """Give every cell a roster and a committee: secretary, deputy, and one more committee member."""
    members: list[Member] = []
    for cell in cells:
        for n in range(rng.randint(*members_per_cell)):
            name = person_name(rng)
            members.append(
                Member(
                    organization=cell,
                    code=f"{cell.code}-DV{n + 1:03d}",
                    full_name=name,
                    full_name_folded=fold(name),
                    status=MemberStatus.PROBATIONARY if rng.random() < 0.06 else MemberStatus.OFFICIAL,
                    exempt=rng.random() < 0.04,
                    joined_on=started_on,
                )
            )
    Member.objects.bulk_create(members, batch_size=2000)
    by_cell: dict[int, list[int]] = {}
    for member_id, org_id in Member.objects.filter(organization__in=cells).values_list("pk", "organization_id"):
        by_cell.setdefault(org_id, []).append(member_id)
    terms = []
    positions = [Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.COMMITTEE_MEMBER]
    for cell in cells:
        for member_id, position in zip(sorted(by_cell.get(cell.pk, [])), positions, strict=False):
            terms.append(OfficerTerm(organization=cell, member_id=member_id, position=position, started_on=started_on))
    OfficerTerm.objects.bulk_create(terms, batch_size=2000)


def _bulk_users(context: DemoContext, districts, grassroots_by_district, cells, started: datetime.date) -> None:
    """Users for a benchmark province; one password hash shared by all (hashing 5,000 would dominate)."""
    user_model = get_user_model()
    prefix = context.province.code.lower()
    password = "demo-benchmark"  # nosec B105 - the benchmark users' documented password (README), not production
    hashed = make_password(password)
    plan: list[tuple[str, Organization, str]] = [
        (f"{prefix}.staff", context.province, Role.STAFF),
        (f"{prefix}.leader", context.province, Role.LEADERSHIP),
    ]
    for district in districts:
        plan.append((f"{prefix}.staff.{district.code.lower()}", district, Role.STAFF))
        for grassroots in grassroots_by_district[district.pk]:
            plan.append((f"{prefix}.sup.{grassroots.code.lower()}", grassroots, Role.SUPERVISOR))
    for cell in cells:
        plan.append((f"{prefix}.sec.{cell.code.lower()}", cell, Role.SECRETARY))
    users = user_model.objects.bulk_create(
        [user_model(username=username, password=hashed) for username, _org, _role in plan], batch_size=2000
    )
    if users and users[0].pk is None:
        users = list(user_model.objects.filter(username__in=[p[0] for p in plan]))
    by_name = {u.username: u for u in users}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=by_name[username], organization=org, role=role, valid_from=started)
            for username, org, role in plan
        ],
        batch_size=2000,
    )
    context.users = {f"{prefix}.staff": by_name[f"{prefix}.staff"], f"{prefix}.leader": by_name[f"{prefix}.leader"]}
    context.passwords = {f"{prefix}.staff": password, f"{prefix}.leader": password}
