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
    MemberTransfer,
    OfficerTerm,
    Organization,
    Position,
    Role,
    RoleAssignment,
    path_segment,
)
from .services import open_first_intervals
from .summaries import rebuild_all
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
    """Every app's demo data, then every summary rebuilt: the builders insert in bulk, past the services that
    keep the summaries on write (cells/summaries.py)."""
    for _order, extension in _extensions:
        extension(context)
    rebuild_all()


# --- The small province of `make run`, from the seeds ------------------------------------------------
#
# Lào Cai after the 2025 reform (DOMAIN.md §3–§4). Until 30/06/2025 the tree is the old one: the
# Đảng bộ tỉnh Yên Bái with Thành ủy Yên Bái and Huyện ủy Văn Yên, their wards and communes (old Lào
# Cai is a tree of its own). On 01/07/2025 the reform is applied through the reorganisation service
# staff use (``cells.reorganization.plan_apply``): the district committees are dissolved, their
# wards and communes stand directly under the province, Hồng Hà merges into Nguyễn Thái Học (renamed
# phường Yên Bái), Lâm Giang into Đông Cuông, and the province's committee, renamed Đảng bộ tỉnh Lào
# Cai, takes in old Lào Cai's. Every record after that is built on the tree with this history, so a
# 2024 ranking reads the old names and this year's the new.

ESTABLISHED = datetime.date(2020, 1, 1)
REFORM_DAY = datetime.date(2025, 7, 1)
# The demo's years of meetings and plans: 2024 under the old tree, 2025 across the reform, then today.
FIRST_YEAR = 2024
PROVINCE_CODE = "TU-LC"  # the province's code today
OLD_PROVINCE_CODE = "TU-YB"  # its code until the reform (the tree below is written with it)


def _residential(prefix: str, names) -> list[tuple]:
    return [(f"{prefix}{n}", f"Chi bộ {name}", Level.CELL, "residential", []) for n, name in enumerate(names, 1)]


# (code, name, level, cell type code or None, children): the tree as it stood in 2024.
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
                        *_residential("P-NTH-TDP", [f"Tổ dân phố số {n}" for n in range(1, 11)]),
                        ("P-NTH-THNTH", "Chi bộ Trường Tiểu học Nguyễn Thái Học", Level.CELL, "public_service", []),
                        # Seed 004's school cell (its plan and indicators), here a school of the ward.
                        (
                            "P-NTH-THCSBT",
                            "Chi bộ Trường Trung học cơ sở Lê Hồng Phong",
                            Level.CELL,
                            "public_service",
                            [],
                        ),
                        ("P-NTH-MNHS", "Chi bộ Trường Mầm non Hoa Sen", Level.CELL, "public_service", []),
                        ("P-NTH-CA", "Chi bộ Công an phường", Level.CELL, "armed_forces", []),
                        ("P-NTH-QS", "Chi bộ Quân sự phường", Level.CELL, "armed_forces", []),
                        ("P-NTH-CQ", "Chi bộ Cơ quan Ủy ban nhân dân phường", Level.CELL, "administrative", []),
                    ],
                ),
                (
                    "P-HH",
                    "Đảng bộ phường Hồng Hà",
                    Level.GRASSROOTS,
                    None,
                    _residential("P-HH-TDP", ["Tổ dân phố Hồng Thanh", "Tổ dân phố Hồng Lạc", "Tổ dân phố Ngòi Yên"]),
                ),
                (
                    "X-TT",
                    "Đảng bộ xã Tân Thịnh",
                    Level.GRASSROOTS,
                    None,
                    [
                        *_residential(
                            "X-TT-TH",
                            [
                                f"Thôn {name}"
                                for name in [
                                    "Thanh Hùng",
                                    "Đồng Đình",
                                    "Cường Thịnh",
                                    "Thanh Niên",
                                    "Tân Thành",
                                    "Hồng Thắng",
                                    "Văn Liên",
                                ]
                            ],
                        ),  # fmt: skip
                        ("X-TT-TMN", "Chi bộ Trường Mầm non Tân Thịnh", Level.CELL, "public_service", []),
                        ("X-TT-TYT", "Chi bộ Trạm Y tế xã", Level.CELL, "public_service", []),
                        ("X-TT-THCS", "Chi bộ Trường Trung học cơ sở Tân Thịnh", Level.CELL, "public_service", []),
                    ],
                ),
                (
                    "TP-YB-MT",
                    "Đảng bộ Công ty Cổ phần Môi trường đô thị Yên Bái",
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
                        *_residential(
                            "X-DC-B", [f"Bản {name}" for name in ["Khe Cả", "Đồng Tâm", "Đức Tiến", "Khe Dứa"]]
                        ),
                        ("X-DC-THCS", "Chi bộ Trường Trung học cơ sở Đông Cuông", Level.CELL, "public_service", []),
                        ("X-DC-CQ", "Chi bộ Cơ quan Ủy ban nhân dân xã", Level.CELL, "administrative", []),
                    ],
                ),
                (
                    "X-LG",
                    "Đảng bộ xã Lâm Giang",
                    Level.GRASSROOTS,
                    None,
                    _residential("X-LG-TH", ["Thôn Làng Câu", "Thôn Trúc Đình"]),
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
                ("H-VY-CQ", "Chi bộ Cơ quan Huyện ủy", Level.GRASSROOTS_CELL, "administrative", []),
            ],
        ),
        (
            "DUK",
            "Đảng bộ Khối các cơ quan tỉnh",
            Level.DISTRICT,
            None,
            [
                (
                    # Seed 002's five-good plan, here the province's college of medicine.
                    "DUK-DHYD",
                    "Đảng bộ Trường Cao đẳng Y tế Yên Bái",
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
                ("DUK-VPTU", "Chi bộ Văn phòng Tỉnh ủy", Level.GRASSROOTS_CELL, "administrative", []),
            ],
        ),
    ],
)

# Old Lào Cai until the reform: its committee merges into the renamed province's, its ward comes along.
OLD_LAO_CAI = (
    "TU-LC-CU",
    "Đảng bộ tỉnh Lào Cai",
    Level.PROVINCE,
    None,
    [
        (
            "TP-LC",
            "Đảng bộ thành phố Lào Cai",
            Level.DISTRICT,
            None,
            [
                (
                    "P-CL",
                    "Đảng bộ phường Cốc Lếu",
                    Level.GRASSROOTS,
                    None,
                    _residential("P-CL-TDP", [f"Tổ dân phố số {n}" for n in range(1, 4)]),
                ),
                ("TP-LC-VP", "Chi bộ Cơ quan Thành ủy Lào Cai", Level.GRASSROOTS_CELL, "administrative", []),
            ],
        ),
    ],
)

# 01/07/2025, in this order (cells.reorganization: the steps of one day keep their order):
# (action, organisation, new name or the organisation it moves under / merges into).
REFORM_STEPS = [
    ("rename", "TU-YB", "Đảng bộ tỉnh Lào Cai"),
    ("move", "P-NTH", "TU-YB"),
    ("rename", "P-NTH", "Đảng bộ phường Yên Bái"),
    ("merge", "P-HH", "P-NTH"),
    ("move", "X-TT", "TU-YB"),
    ("rename", "X-TT", "Đảng bộ phường Văn Phú"),
    ("rename", "X-TT-TYT", "Chi bộ Trạm Y tế phường Văn Phú"),
    ("move", "TP-YB-MT", "TU-YB"),
    ("move", "TP-YB-BTC", "P-NTH"),
    ("rename", "TP-YB-BTC", "Chi bộ Cơ quan Đảng ủy phường Yên Bái"),
    ("merge", "TP-YB-UBKT", "TP-YB-BTC"),
    ("dissolve", "TP-YB", None),
    ("move", "X-DC", "TU-YB"),
    ("merge", "X-LG", "X-DC"),
    ("merge", "X-DC-B4", "X-DC-B3"),
    ("move", "H-VY-BV", "TU-YB"),
    ("rename", "H-VY-BV", "Đảng bộ Trung tâm Y tế khu vực Văn Yên"),
    ("move", "H-VY-QS", "X-DC"),
    ("rename", "H-VY-QS", "Chi bộ Quân sự xã Đông Cuông"),
    ("merge", "H-VY-CQ", "X-DC-CQ"),
    ("dissolve", "H-VY", None),
    ("rename", "DUK", "Đảng bộ các cơ quan Đảng tỉnh"),
    ("move", "P-CL", "TU-YB"),
    ("rename", "P-CL", "Đảng bộ phường Lào Cai"),
    ("move", "TP-LC-VP", "P-CL"),
    ("rename", "TP-LC-VP", "Chi bộ Cơ quan Đảng ủy phường Lào Cai"),
    ("dissolve", "TP-LC", None),
    ("merge", "TU-LC-CU", "TU-YB"),
]

# Each committee's document details (sign, place, usual signer, position): what its reports print.
# The usual signer is the committee's secretary (an officer of it, on a roster of its subtree).
DEMO_DOCUMENT_DETAILS = {
    "TU-YB": ("TU", "Yên Bái", "Hoàng Văn Sơn", "BÍ THƯ"),
    "TP-YB": ("TU", "Yên Bái", "Lê Quang Việt", "BÍ THƯ"),
    "H-VY": ("HU", "Văn Yên", "Nguyễn Đức Thắng", "BÍ THƯ"),
    "DUK": ("ĐU", "Yên Bái", "Trần Thị Thu Hà", "BÍ THƯ"),
    "P-NTH": ("ĐU", "Nguyễn Thái Học", "Phạm Văn Hải", "BÍ THƯ"),
    "P-HH": ("ĐU", "Hồng Hà", "Đặng Văn Toàn", "BÍ THƯ"),
    "X-TT": ("ĐU", "Tân Thịnh", "Lò Văn Pằng", "BÍ THƯ"),
    "TP-YB-MT": ("ĐU", "Yên Bái", "Đinh Quang Huy", "BÍ THƯ"),
    "X-DC": ("ĐU", "Đông Cuông", "Hoàng Thị Nhàn", "BÍ THƯ"),
    "X-LG": ("ĐU", "Lâm Giang", "Triệu Văn Sinh", "BÍ THƯ"),
    "H-VY-BV": ("ĐU", "Văn Yên", "Vũ Minh Châu", "BÍ THƯ"),
    "H-VY-BV-LS": ("ĐU", "Văn Yên", "Lê Thị Hoa", "BÍ THƯ"),
    "DUK-DHYD": ("ĐU", "Yên Bái", "Ngô Quốc Bảo", "BÍ THƯ"),
    "P-CL": ("ĐU", "Cốc Lếu", "Giàng Seo Phử", "BÍ THƯ"),
}
# What changed with the reform (the place of the documents' date line).
REFORM_DOCUMENT_PLACES = {"TU-YB": "Lào Cai", "P-NTH": "Yên Bái", "X-TT": "Văn Phú", "P-CL": "Lào Cai"}

# Where each committee's officers are on a roster: a cell of its subtree (the first one when not named).
OFFICERS_HOSTED_BY = {
    "TU-YB": "DUK-VPTU",
    "DUK": "DUK-VPTU",
    "TP-YB": "TP-YB-BTC",
    "H-VY": "H-VY-CQ",
    "P-NTH": "P-NTH-CQ",
    "X-DC": "X-DC-CQ",
    "TP-LC": "TP-LC-VP",
    "TU-LC-CU": "TP-LC-VP",
}

# username → (organisation code, role, full name, role from the reform on: (code, role) or None).
# Secretaries are their cell's secretary on its roster; the district committees' people took up
# posts in the new tree on 01/07/2025 (their old roles ended with their committees).
SMALL_USERS = [
    ("canbo.tinh", "TU-YB", Role.STAFF, "Nguyễn Thị Hạnh", None),
    ("lanhdao.tinh", "TU-YB", Role.LEADERSHIP, "Hoàng Văn Sơn", None),
    ("canbo.thanhpho", "TP-YB", Role.STAFF, "Trần Minh Tuấn", ("TU-YB", Role.STAFF)),
    ("lanhdao.thanhpho", "TP-YB", Role.LEADERSHIP, "Lê Quang Việt", ("P-NTH", Role.LEADERSHIP)),
    ("canbo.vanyen", "H-VY", Role.STAFF, "Phạm Thu Trang", ("X-DC", Role.STAFF)),
    ("canbo.phuong", "P-NTH", Role.STAFF, "Đỗ Thị Lan", None),
    ("giamsat.phuong", "P-NTH", Role.SUPERVISOR, "Vũ Đức Long", None),
    ("bithu.tdp1", "P-NTH-TDP1", Role.SECRETARY, "Bùi Văn Nam", None),
    ("bithu.thcs", "P-NTH-THCSBT", Role.SECRETARY, "Ngô Thị Mai", None),
    ("bithu.bankhe", "X-DC-B1", Role.SECRETARY, "Hà Văn Dũng", None),
]
# Committee members who are demo users besides the signers: giamsat.phuong sits on the ward's committee;
# the city's secretary became the ward's deputy secretary with the reform.
# Đỗ Văn Nghị, the city's standing deputy secretary, signs its plan and its recognition decision (seed 000).
COMMITTEE_PERSONAS = {
    "P-NTH": [("Vũ Đức Long", Position.COMMITTEE_MEMBER)],
    "TP-YB": [("Đỗ Văn Nghị", Position.DEPUTY_SECRETARY)],
}
REFORM_OFFICERS = [("P-NTH", "Lê Quang Việt", Position.DEPUTY_SECRETARY)]

# Seed 004's school cell: 18 members in 2023–2024 (all rated), one admitted in 2025.
FIXED_ROSTERS = {"P-NTH-THCSBT": 18}
ADMITTED = [("P-NTH-THCSBT", "Lường Thị Hoa", datetime.date(2025, 5, 19))]


def demo_years(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(FIRST_YEAR, max(today.year, FIRST_YEAR) + 1))


@transaction.atomic
def build_small_province(rng: random.Random | None = None) -> DemoContext:
    """The province `make run` loads: Lào Cai after the 2025 reform, every level and cell type, rosters,
    officers, a user per role; the tree's history from 2020 with the reform applied on 01/07/2025."""
    rng = rng or random.Random(2024)  # nosec B311 - demo data, reproducible on purpose; never a secret
    cell_types = {ct.code: ct for ct in CellType.objects.all()}
    built: dict[str, Organization] = {}

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
            established_on=ESTABLISHED,
            acting_user=None,
            **dict(
                zip(
                    ("sign", "place", "signer_name", "signer_position"),
                    DEMO_DOCUMENT_DETAILS.get(code, ()),
                    strict=False,
                )
            ),
        )
        built[code] = organization
        for child in children:
            build(child, organization)
        return organization

    province = build(SMALL_PROVINCE)
    build(OLD_LAO_CAI)
    cells = [o for o in built.values() if o.level in CELL_LEVELS]
    _fill_rosters(cells, rng, members_per_cell=(9, 24), started_on=ESTABLISHED, sizes=FIXED_ROSTERS)
    _admit(built)
    context = DemoContext(province=province, years=demo_years(), rng=rng, small=True)
    for username, org_code, role, full_name, _later in SMALL_USERS:
        password = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
        first, _sep, last = full_name.rpartition(" ")
        user = get_user_model().objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
        )
        RoleAssignment.objects.create(user=user, organization=built[org_code], role=role, valid_from=ESTABLISHED)
        context.users[username] = user
        context.passwords[username] = password
    _name_cell_secretaries(built)
    _committee_officers(built, rng)
    # One cell keeps a vacant deputy seat, so the vacancy view has something to show (Y6).
    OfficerTerm.objects.filter(organization=built["P-NTH-TDP7"], position=Position.DEPUTY_SECRETARY).delete()
    apply_reform(context, built)
    context.province = Organization.objects.get(pk=province.pk)
    return context


def apply_reform(context: DemoContext, built: dict[str, Organization]) -> None:
    """The 2025 reform, on 01/07/2025, through the reorganisation service staff use; then the people's new
    posts and the committees' new document places."""
    from .reorganization import Step, plan_apply

    staff = context.users.get("canbo.tinh")
    steps = []
    for number, (action, code, other) in enumerate(REFORM_STEPS, 1):
        step = Step(number=number, date=REFORM_DAY, organization=built[code], action=action)
        if action == "rename":
            step.new_name = other
        elif action == "move":
            step.new_parent = built[other]
        elif action == "merge":
            step.into = built[other]
        steps.append(step)
    plan_apply(steps, staff)
    province = Organization.objects.get(pk=built["TU-YB"].pk)
    services.organization_update(organization=province, code=PROVINCE_CODE, acting_user=staff)
    for code, place in REFORM_DOCUMENT_PLACES.items():
        organization = Organization.objects.get(pk=built[code].pk)
        services.organization_update(organization=organization, place=place, acting_user=staff)
    for username, _code, _role, _name, later in SMALL_USERS:
        if later:
            services.role_assign(
                user=context.users[username],
                organization=Organization.objects.get(pk=built[later[0]].pk),
                role=later[1],
                valid_from=REFORM_DAY,
                acting_user=staff,
            )
    for code, full_name, position in REFORM_OFFICERS:
        committee = Organization.objects.get(pk=built[code].pk)
        member = Member.objects.current().get(full_name=full_name, organization__path__startswith=committee.path)
        services.officer_appoint(
            organization=committee,
            member=member,
            position=position,
            started_on=REFORM_DAY,
            acting_user=staff,
        )


def _admit(built: dict[str, Organization]) -> None:
    for code, full_name, joined_on in ADMITTED:
        cell = built[code]
        Member.objects.create(
            organization=cell,
            code=f"{cell.code}-DV{Member.objects.filter(organization=cell).count() + 1:03d}",
            full_name=full_name,
            full_name_folded=fold(full_name),
            status=MemberStatus.PROBATIONARY,
            joined_on=joined_on,
        )


def _name_cell_secretaries(built: dict[str, Organization]) -> None:
    """A secretary's account and the cell's secretary on its roster are one person: same name."""
    for _username, code, role, full_name, _later in SMALL_USERS:
        if role != Role.SECRETARY:
            continue
        term = OfficerTerm.objects.get(organization=built[code], position=Position.SECRETARY, ended_on__isnull=True)
        Member.objects.filter(pk=term.member_id).update(full_name=full_name, full_name_folded=fold(full_name))


def _committee_officers(built: dict[str, Organization], rng: random.Random) -> None:
    """Every committee's secretary (its usual signer), deputy and one more member, on a roster below it."""
    members, terms = [], []
    committees = [o for o in built.values() if o.level not in CELL_LEVELS]
    first_cell = {}
    for organization in sorted(built.values(), key=lambda o: o.path):
        if organization.level in CELL_LEVELS:
            for committee in committees:
                if organization.path.startswith(committee.path):
                    first_cell.setdefault(committee.code, organization)
    for committee in committees:
        host = built.get(OFFICERS_HOSTED_BY.get(committee.code, "")) or first_cell[committee.code]
        people = [(committee.signer_name or person_name(rng), Position.SECRETARY)]
        people += COMMITTEE_PERSONAS.get(committee.code, [])
        if all(position != Position.DEPUTY_SECRETARY for _name, position in people):
            people.append((person_name(rng), Position.DEPUTY_SECRETARY))
        people.append((person_name(rng), Position.COMMITTEE_MEMBER))
        for n, (full_name, position) in enumerate(people, 1):
            member = Member(
                organization=host,
                code=f"{host.code}-UV{committee.pk:03d}{n}",
                full_name=full_name,
                full_name_folded=fold(full_name),
                joined_on=ESTABLISHED,
            )
            members.append(member)
            terms.append((committee, member, position))
    Member.objects.bulk_create(members)
    by_code = dict(Member.objects.filter(code__in=[m.code for m in members]).values_list("code", "pk"))
    OfficerTerm.objects.bulk_create(
        OfficerTerm(organization=committee, member_id=by_code[member.code], position=position, started_on=ESTABLISHED)
        for committee, member, position in terms
    )


def roster_sizes_on(cell_ids, day: datetime.date, *, exempt: bool | None = None) -> dict[int, int]:
    """Members on each cell's roster on ``day``, by cell id (``exempt=False``: those held to attend
    meetings only): today's rosters, less those who joined later or had left, with the members a merge
    moved after ``day`` given back to the cell they left."""
    from django.db.models import Q

    ids = set(cell_ids)
    on_roster = (Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (Q(left_on__isnull=True) | Q(left_on__gt=day))
    if exempt is not None:
        on_roster &= Q(exempt=exempt)
    sizes: dict[int, int] = dict.fromkeys(ids, 0)
    for org_id in Member.objects.filter(on_roster, organization_id__in=ids).values_list("organization_id", flat=True):
        sizes[org_id] += 1
    seen: set[int] = set()
    transfers = (
        MemberTransfer.objects.filter(on__gt=day)
        .filter(Q(from_organization_id__in=ids) | Q(member__organization_id__in=ids))
        .filter(**({} if exempt is None else {"member__exempt": exempt}))
        .order_by("member_id", "on", "id")
        .values_list("member_id", "from_organization_id", "member__organization_id", "member__joined_on")
    )
    for member_id, from_id, current_id, joined_on in transfers:
        if member_id in seen or (joined_on and joined_on > day):
            continue
        seen.add(member_id)
        if current_id in sizes:
            sizes[current_id] -= 1
        if from_id in sizes:
            sizes[from_id] += 1
    return sizes


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
    cells: list[Organization],
    rng: random.Random,
    *,
    members_per_cell: tuple[int, int],
    started_on: datetime.date,
    sizes: dict[str, int] | None = None,
) -> None:
    """Give every cell a roster and a committee: secretary, deputy, and one more committee member
    (``sizes``: a roster's exact size, by cell code)."""
    members: list[Member] = []
    sizes = sizes or {}
    for cell in cells:
        for n in range(sizes.get(cell.code) or rng.randint(*members_per_cell)):
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
