"""Demo data: the programme as the press reported it (DOMAIN.md's figures), with invented people.

What the articles give is reproduced: the batch sizes, SZ-3's 79 and SH-5's 50 host units, the
two known departure dates, the host units they name and four people they quote. Everything else
(the other cadres, every ID number, most dates, the other host units) is invented, from a fixed
seed so that every run builds the same rows. Notes on a batch say which of its facts are examples.

Batches 1–5 of each programme are the published ones and stay exactly as published (307 / 757 /
150 at 79 units / 204 / 81 at 50 units). Two example batches come after them so that the demo has
a live term: SZ-6 in its term (set out LIVE_DAYS_AGO days before the day the data is built) and
SH-6 departing in DEPARTS_IN days with some cadres not yet placed. They are built after the
published ones, so the published rows are the same whatever day it is.

`build()` makes the unsaved objects; `seed()` writes them with bulk_create.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cadreprog.history import history_baseline
from cohorts import idnumbers
from cohorts.models import Batch, Cadre, Programme
from cohorts.pinyin import person_pinyin
from cohorts.terms import DEFAULT_TERM_DAYS, today
from cohorts.text import pinyin_sort_key
from placements.models import HostUnit, Placement
from placements.order import district_sort_key
from placements.ranks import TIER_OF_RANK, Rank

from . import ledger as ledger_demo
from .words import (
    BIRTH_YEARS,
    BRANDS,
    CATEGORY_WEIGHTS,
    CITY_LEVEL,
    CITY_PREFIX,
    CITY_SEAT,
    CITY_UNITS,
    COMPANY_ROLES,
    DECADE_WEIGHTS,
    DISTRICT_CODES,
    DISTRICT_OFFICES,
    DISTRICTS,
    EDUCATIONS,
    ENTERPRISE_LINES,
    ETHNICITIES,
    FEMALE_GIVEN,
    FOREIGN_BRANDS,
    FOUNDER_POSITIONS,
    FUNCTIONAL_ZONES,
    HOST_UNIT_POOL,
    INVENTED_HOST_UNITS,
    LEVEL_OF_CATEGORY,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    NAMED_HOST_UNITS,
    POLITICAL_STATUSES,
    POSITIONS,
    RANK_WEIGHTS,
    ROLES,
    STATE_ENTERPRISES,
    SURNAMES,
    TOWNS,
)

SEED = 20190520  # the first departure; any fixed number would do

Category = Placement.Category
Kind = HostUnit.Kind

# --- Programmes and batches --------------------------------------------------------------------

PROGRAMMES = [
    ("SZ", "赴深圳体悟实训", "深圳", Programme.Kind.EXPERIENTIAL),
    ("SH", "赴上海专业实训", "上海", Programme.Kind.PROFESSIONAL),
]


@dataclass(frozen=True)
class BatchPlan:
    programme: str
    number: int
    start_date: date
    size: int
    host_units: int
    notes: str
    postponed: bool = False
    postponement_reason: str = ""
    # A district that sent its own group (即墨区 sent 10 cadres with their own study plan).
    district_group: str = ""
    # The example batches: the placements' status, and how many cadres have no host unit yet.
    status: str = Placement.Status.COMPLETED
    unplaced: int = 0

    @property
    def code(self) -> str:
        return f"{self.programme}-{self.number}"


# Notes say which facts are reported and which are examples.
EXAMPLE_DATE = "出发日期为示例日期，报道未给出。"
SZ_1_2 = "第一、二批合计307人（报道），各批人数为示例。"
SH_1_2 = "第一、二批合计204人（报道），各批人数为示例。"
EXAMPLE_SIZE = "人数与实训单位数为示例。"
SZ_1 = "2019年5月出发（报道），具体日期为示例日期。"
SZ_3 = "2020年3月12日成立临时党支部，4月15日从青岛流亭机场出发，150名干部赴79家实训单位（报道）。"
SZ_4 = "每批约150人（报道）。"
SZ_5 = "至2021年2月共派出5批757人（报道）。"
SH_5 = "10月17日从青岛胶东国际机场出发，81名干部赴50家实训单位（报道）。"
COVID = "原定春节后出发，因新冠肺炎疫情推迟至4月15日"

BATCH_PLANS = [
    BatchPlan("SZ", 1, date(2019, 5, 20), 154, 66, SZ_1 + SZ_1_2),
    # Back by mid-January 2020: "three months" before batch 3 set out, as article 000 says.
    BatchPlan("SZ", 2, date(2019, 10, 8), 153, 72, EXAMPLE_DATE + SZ_1_2),
    BatchPlan("SZ", 3, date(2020, 4, 15), 150, 79, SZ_3,
              postponed=True, postponement_reason=COVID, district_group="即墨区"),
    BatchPlan("SZ", 4, date(2020, 8, 3), 150, 76, EXAMPLE_DATE + SZ_4),
    BatchPlan("SZ", 5, date(2020, 11, 16), 150, 74, EXAMPLE_DATE + SZ_5),
    BatchPlan("SH", 1, date(2020, 6, 8), 102, 55, EXAMPLE_DATE + SH_1_2),
    BatchPlan("SH", 2, date(2020, 10, 12), 102, 58, EXAMPLE_DATE + SH_1_2),
    BatchPlan("SH", 3, date(2021, 3, 8), 120, 64, EXAMPLE_DATE + EXAMPLE_SIZE),
    BatchPlan("SH", 4, date(2021, 6, 28), 100, 60, EXAMPLE_DATE + EXAMPLE_SIZE),
    BatchPlan("SH", 5, date(2021, 10, 17), 81, 50, SH_5),
]  # fmt: skip

# The example batches after the published ones, dated from the day the demo is built.
LIVE_DAYS_AGO = 40  # SZ-6 set out 40 days ago: today is day 41 of 100
DEPARTS_IN = 14  # SH-6 sets out in two weeks
SH6_UNPLACED = 12
SZ_6 = (
    "示例批次：出发日期为示例日期（生成演示数据之日的40天前），用于展示进行中的实训；"
    "人数、实训单位与履职进度均为示例。"
)
SH_6 = (
    "示例批次：出发日期为示例日期（生成演示数据之日的14天后），用于展示即将出发的批次；"
    "人数为示例，部分干部尚未落实实训单位。"
)


def live_plans(on: date) -> list[BatchPlan]:
    """SZ-6 in its term and SH-6 about to depart, relative to `on` (the day seed_demo runs)."""
    return [
        BatchPlan("SZ", 6, on - timedelta(days=LIVE_DAYS_AGO), 120, 62, SZ_6,
                  status=Placement.Status.ON_SITE),
        BatchPlan("SH", 6, on + timedelta(days=DEPARTS_IN), 90, 44, SH_6,
                  status=Placement.Status.PENDING, unplaced=SH6_UNPLACED),
    ]  # fmt: skip


DISTRICT_GROUP_SIZE = 10
GROUP_SIZE = 20  # large batches split into groups of about this many
SECRETARY = "临时党支部书记"


@dataclass(frozen=True)
class NamedPerson:
    """Someone the articles quote; the article gives the batch and a few facts, the rest is
    invented (ID number, birth day, phone, home unit where the article does not say it)."""

    batch: str
    name: str
    male: bool
    born: date
    home_unit: str
    position: str
    rank: Rank
    category: Category
    district: str
    host_unit: str = ""
    notes: str = ""


NAMED_PEOPLE = [
    NamedPerson("SH-5", "姜睿", False, date(1985, 3, 8), "市委办公厅", "副处长",
                Rank.DIVISION_DEPUTY, Category.PARTY_GOVERNMENT, CITY_LEVEL, "诚唐文化集团"),
    NamedPerson("SH-5", "刘洪涛", True, date(1976, 11, 2), "青岛闪收付信息技术有限公司", "创始人",
                Rank.OTHER, Category.PRIVATE_ENTREPRENEUR, "市南区"),
    NamedPerson("SZ-3", "汤凤兰", False, date(1982, 6, 19), "市工业和信息化局", "副处长",
                Rank.DIVISION_DEPUTY, Category.PARTY_GOVERNMENT, CITY_LEVEL,
                "精锐视觉智能科技（深圳）有限公司"),
    NamedPerson("SZ-4", "王春河", True, date(1971, 9, 23), "市发展改革委", "处长",
                Rank.DIVISION_CHIEF, Category.PARTY_GOVERNMENT, CITY_LEVEL, notes=SECRETARY),
]  # fmt: skip
NAMED_PERSON_NOTE = "报道中提到的人物；身份证号等个人信息为虚构。"


@dataclass
class DemoData:
    programmes: list[Programme]
    batches: list[Batch]
    host_units: list[HostUnit]
    cadres: list[Cadre]
    placements: list[Placement]


def seed() -> DemoData:
    """Write the demo data; the caller makes sure the database is empty, in one transaction."""
    data = build()
    Programme.objects.bulk_create(data.programmes)
    Batch.objects.bulk_create(data.batches)
    HostUnit.objects.bulk_create(data.host_units)
    Cadre.objects.bulk_create(data.cadres)
    Placement.objects.bulk_create(data.placements)
    history_baseline(Placement, data.placements)  # so that a first edit shows before → after
    ledger_demo.seed(data.batches, data.placements)  # duties, topics and outcomes (issue 8)
    return data


def build(on: date | None = None) -> DemoData:
    """The demo rows; the example batches are dated from `on` (default today)."""
    return _Builder(random.Random(SEED)).build(on or today())


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _heads(unit: str) -> dict[str, str]:
    """The head titles of a unit, and a town's party committee, from how its name ends."""
    if unit.endswith("局"):
        return {"chief": "局长", "deputy": "副局长"}
    if unit.endswith("镇"):
        return {"chief": "镇长", "deputy": "副镇长", "party": "党委"}
    if unit.endswith("街道"):
        return {"chief": "办事处主任", "deputy": "办事处副主任", "party": "党工委"}
    return {"chief": "主任", "deputy": "副主任"}


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.id_numbers: set[str] = set()
        # The people the articles name are reserved, so no invented cadre doubles one of them.
        self.names_born = {(p.name, p.born) for p in NAMED_PEOPLE}
        self.phones: set[str] = set()

    def build(self, on: date) -> DemoData:
        programmes = {
            code: Programme(code=code, name=name, city=city, kind=kind)
            for code, name, city, kind in PROGRAMMES
        }
        pools = self._host_unit_pools()
        batches, placements = [], []
        for plan in BATCH_PLANS + live_plans(on):
            programme = programmes[plan.programme]
            batch = Batch(
                programme=programme,
                number=plan.number,
                start_date=plan.start_date,
                term_days=DEFAULT_TERM_DAYS,
                planned_size=plan.size,
                postponed=plan.postponed,
                postponement_reason=plan.postponement_reason,
                notes=plan.notes,
            )
            batches.append(batch)
            placements += self._batch_placements(batch, plan, pools[programme.city])
        used = {p.host_unit.name for p in placements if p.host_unit}
        host_units = [u for pool in pools.values() for u in pool if u.name in used]
        return DemoData(
            programmes=list(programmes.values()),
            batches=batches,
            host_units=host_units,
            cadres=[p.cadre for p in placements],
            placements=placements,
        )

    # Host units

    def _host_unit_pools(self) -> dict[str, list[HostUnit]]:
        """Per city: the named units first, then invented ones up to the pool's size."""
        pools, names = {}, set()
        for city, size in HOST_UNIT_POOL.items():
            pool = [
                HostUnit(name=name, city=city, kind=kind, industry=industry)
                for name, kind, industry in NAMED_HOST_UNITS[city]
            ]
            names.update(u.name for u in pool)
            while len(pool) < size:
                pattern, kind, industry, _ = self.rng.choices(
                    INVENTED_HOST_UNITS, weights=[t[3] for t in INVENTED_HOST_UNITS]
                )[0]
                name = pattern.format(
                    p=CITY_PREFIX[city],
                    b=self.rng.choice(BRANDS),
                    f=self.rng.choice(FOREIGN_BRANDS),
                )
                if name not in names:  # a name without the city (证券, 基金) may recur
                    names.add(name)
                    pool.append(HostUnit(name=name, city=city, kind=kind, industry=industry))
            for unit in pool:
                unit.normalise()  # bulk_create skips save(), which sets the matching key
            pools[city] = pool
        return pools

    def _place(self, placements: list[Placement], units: list[HostUnit]) -> None:
        """Spread the placements over exactly these units, the big named ones taking more, and
        give each cadre a role that fits the unit."""
        free = [p for p in placements if p.host_unit is None]
        taken = {p.host_unit.name for p in placements if p.host_unit}
        uncovered = [u for u in units if u.name not in taken]
        self.rng.shuffle(free)
        for placement, unit in zip(free, uncovered, strict=False):
            placement.host_unit = unit
        named = {name for names in NAMED_HOST_UNITS.values() for name, *_ in names}
        weights = [3 if u.name in named else 1 for u in units]
        for placement in free[len(uncovered) :]:
            placement.host_unit = self.rng.choices(units, weights=weights)[0]
        for placement in placements:
            placement.role = self.rng.choice(ROLES.get(placement.host_unit.kind, COMPANY_ROLES))

    # Placements

    def _batch_placements(self, batch: Batch, plan: BatchPlan, pool: list[HostUnit]):
        by_name = {u.name: u for u in pool}
        placements = [
            self._named_placement(batch, person, by_name.get(person.host_unit))
            for person in NAMED_PEOPLE
            if person.batch == plan.code
        ]
        if plan.district_group:
            placements += [
                self._invented_placement(batch, lambda d: d == plan.district_group)
                for _ in range(DISTRICT_GROUP_SIZE)
            ]
        while len(placements) < plan.size:
            # A district group is all its district sent in the batch.
            placements.append(self._invented_placement(batch, lambda d: d != plan.district_group))
        named_units = pool[: len(NAMED_HOST_UNITS[batch.programme.city])]
        invented_units = pool[len(named_units) :]
        units = named_units + self.rng.sample(invented_units, plan.host_units - len(named_units))
        unplaced = self.rng.sample(placements, plan.unplaced)  # no host unit yet
        self._place([p for p in placements if p not in unplaced], units)
        for p in placements:
            p.status = plan.status
        if plan.status == Placement.Status.PENDING:
            # A third of those placed have checked in remotely with their host unit already.
            for p in placements:
                if p.host_unit and self.rng.random() < 1 / 3:
                    p.status = Placement.Status.CHECKED_IN
        self._form_groups(placements, plan.district_group)
        if not any(p.notes == SECRETARY for p in placements):
            secretary = next(
                p
                for p in placements
                if p.rank == Rank.DIVISION_CHIEF and p.cadre.political_status == "中共党员"
            )
            secretary.notes = SECRETARY
        return placements

    def _form_groups(self, placements: list[Placement], district_group: str) -> None:
        """第一组, 第二组 … of about GROUP_SIZE, by home district; the district group apart."""
        others = []
        for p in placements:
            if p.district == district_group:
                p.group = f"{district_group}小组"
            else:
                others.append(p)
        others.sort(
            key=lambda p: district_sort_key(p.district)
        )  # 市直 first, then the city's order
        count = max(1, round(len(others) / GROUP_SIZE))
        for i, p in enumerate(others):
            p.group = f"第{'一二三四五六七八九十'[i * count // len(others)]}组"

    def _named_placement(self, batch, person: NamedPerson, host_unit) -> Placement:
        cadre = self._cadre(person.name, person.male, person.born, person.district, person.category)
        cadre.notes = NAMED_PERSON_NOTE
        if person.notes == SECRETARY:
            cadre.political_status = "中共党员"  # the branch secretary is a party member
        return Placement(
            cadre=cadre,
            batch=batch,
            home_unit=person.home_unit,
            position=person.position,
            rank=person.rank,
            rank_tier=TIER_OF_RANK[person.rank],
            category=person.category,
            district=person.district,
            host_unit=host_unit,
            status=Placement.Status.COMPLETED,
            notes=person.notes,
        )

    def _invented_placement(self, batch, district_ok) -> Placement:
        """A cadre and their home unit; district_ok(district) says which districts may come."""
        while True:
            category = _weighted(self.rng, CATEGORY_WEIGHTS)
            home_unit, position, rank, district = self._home(category)
            if district_ok(district):
                break
        tier = TIER_OF_RANK[rank]
        decade = _weighted(self.rng, DECADE_WEIGHTS[tier])
        year = self.rng.choice(BIRTH_YEARS[decade])
        born = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
        male = self.rng.random() < 0.6  # cadre rosters of the time were mostly men
        cadre = self._cadre(self._unique_name(male, born), male, born, district, category)
        return Placement(
            cadre=cadre,
            batch=batch,
            home_unit=home_unit,
            position=position,
            rank=rank,
            rank_tier=tier,
            category=category,
            district=district,
            # Every batch ended by early 2022.
            status=Placement.Status.COMPLETED,
        )

    def _home(self, category: str) -> tuple[str, str, Rank, str]:
        """(home unit, position, rank, district) for a cadre of this category."""
        rng = self.rng
        if category == Category.PRIVATE_ENTREPRENEUR:
            unit = f"青岛{rng.choice(BRANDS)}{rng.choice(ENTERPRISE_LINES)}有限公司"
            return unit, rng.choice(FOUNDER_POSITIONS), Rank.OTHER, rng.choice(DISTRICTS)
        if category in CITY_UNITS:
            unit, district = rng.choice(CITY_UNITS[category]), CITY_LEVEL
        elif category == Category.STATE_ENTERPRISE:
            unit, district = rng.choice(STATE_ENTERPRISES)
        elif category == Category.FUNCTIONAL_ZONE:
            unit, district = rng.choice(FUNCTIONAL_ZONES)
        elif category == Category.DISTRICT:
            district = rng.choice(DISTRICTS)
            unit = district + rng.choice(DISTRICT_OFFICES)
        else:  # a town or sub-district
            district = rng.choice(DISTRICTS)
            unit = district + rng.choice(TOWNS[district])
        positions = POSITIONS[LEVEL_OF_CATEGORY[category]]
        rank = _weighted(self.rng, {r: w for r, w in RANK_WEIGHTS.items() if r in positions})
        return unit, rng.choice(positions[rank]).format(**_heads(unit)), rank, district

    # Cadres

    def _cadre(self, name, male, born, district, category) -> Cadre:
        rng = self.rng
        # Most were born where they work; the rest anywhere in Qingdao.
        home = CITY_SEAT if district == CITY_LEVEL else district
        birthplace = home if rng.random() < 0.6 else rng.choice(DISTRICTS)
        id_number = self._id_number(born, male, DISTRICT_CODES[birthplace])
        kind = "entrepreneur" if category == Category.PRIVATE_ENTREPRENEUR else "cadre"
        full_pinyin, initials = person_pinyin(name)  # for the search, as normalise() sets them
        return Cadre(
            name=name,
            name_sort=pinyin_sort_key(name),  # bulk_create skips save(), which sets it
            name_pinyin=full_pinyin,
            name_initials=initials,
            gender=Cadre.Gender.MALE if male else Cadre.Gender.FEMALE,
            birth_date=born,
            id_number=id_number,
            ethnicity=_weighted(rng, ETHNICITIES),
            political_status=_weighted(rng, POLITICAL_STATUSES[kind]),
            education=_weighted(rng, EDUCATIONS),
            phone=self._phone(),
        )

    def _unique_name(self, male: bool, born: date) -> str:
        """Surname and one or two given characters; no two cadres share name and birth date."""
        given = MALE_GIVEN if male else FEMALE_GIVEN
        while True:
            length = 1 if self.rng.random() < 0.3 else 2
            name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(given, length))
            if (name, born) not in self.names_born:
                self.names_born.add((name, born))
                return name

    def _id_number(self, born: date, male: bool, region: str) -> str:
        while True:
            # The 17th digit is odd for men, even for women.
            sequence = self.rng.randrange(100) * 10 + self.rng.randrange(int(male), 10, 2)
            first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
            number = first17 + idnumbers.check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone
