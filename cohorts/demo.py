"""Demo data: the programme as the press reported it (DOMAIN.md's figures), with invented people.

What the articles give is reproduced: the batch sizes, SZ-3's 79 and SH-5's 50 host units, the
two known departure dates, the host units they name and four people they quote. Everything else
(the other cadres, every ID number, most dates, the other host units) is invented, from a fixed
seed so that every run builds the same rows. Notes on a batch say which of its facts are examples.

`build()` makes the unsaved objects; `seed()` writes them with bulk_create.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cadreprog.history import history_baseline
from ledger import demo as ledger_demo
from placements.models import HostUnit, Placement
from placements.ranks import TIER_OF_RANK, Rank, Tier

from . import idnumbers
from .models import Batch, Cadre, Programme
from .terms import DEFAULT_TERM_DAYS
from .text import pinyin_sort_key

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

DISTRICT_GROUP_SIZE = 10
GROUP_SIZE = 20  # large batches split into groups of about this many
SECRETARY = "临时党支部书记"

# --- Host units ----------------------------------------------------------------------------------

# (name, kind, industry), the names as the articles write them.
NAMED_HOST_UNITS = {
    "深圳": [
        ("深圳市创新投资集团", Kind.INVESTMENT, "创业投资"),
        ("平安证券", Kind.FINANCIAL, "证券"),
        ("华润集团", Kind.STATE_OWNED, "多元化控股"),
        ("腾讯集团", Kind.PRIVATE, "互联网"),
        ("前海母基金", Kind.INVESTMENT, "股权投资"),
        ("招商蛇口", Kind.STATE_OWNED, "城市开发"),
        ("华润置地", Kind.STATE_OWNED, "房地产"),
        ("前海控股", Kind.STATE_OWNED, "城市开发"),
        ("精锐视觉智能科技（深圳）有限公司", Kind.PRIVATE, "机器视觉"),
        ("金蝶", Kind.PRIVATE, "企业软件"),
    ],
    "上海": [
        ("上海证券交易所", Kind.EXCHANGE, "证券交易"),
        ("上海期货交易所", Kind.EXCHANGE, "期货交易"),
        ("上海清算所", Kind.EXCHANGE, "清算结算"),
        ("普洛斯中国总部", Kind.FOREIGN, "物流地产"),
        ("东方国际", Kind.STATE_OWNED, "纺织服装与贸易"),
        ("益海嘉里", Kind.FOREIGN, "粮油食品"),
        ("中国远洋海运集团", Kind.STATE_OWNED, "航运"),
        ("诚唐文化集团", Kind.PRIVATE, "文化旅游"),
        ("阳光控股", Kind.PRIVATE, "地产与文旅"),
    ],
}
# Enough units per city for the batch that spreads widest (SZ-3: 79, SH-3: 64).
HOST_UNIT_POOL = {"深圳": 100, "上海": 80}
CITY_PREFIX = {"深圳": "深圳市", "上海": "上海"}

# (pattern, kind, industry, weight): {p} is the city prefix, {b} a brand, {f} a foreign brand.
INVENTED_HOST_UNITS = [
    ("{p}{b}科技有限公司", Kind.PRIVATE, "信息技术", 8),
    ("{p}{b}智能制造有限公司", Kind.PRIVATE, "智能制造", 3),
    ("{p}{b}生物医药有限公司", Kind.PRIVATE, "生物医药", 2),
    ("{p}{b}新能源科技有限公司", Kind.PRIVATE, "新能源", 2),
    ("{p}{b}供应链管理有限公司", Kind.PRIVATE, "供应链", 2),
    ("{p}{b}文化传媒有限公司", Kind.PRIVATE, "文化传媒", 2),
    ("{p}{b}创业投资有限公司", Kind.INVESTMENT, "创业投资", 3),
    ("{p}{b}股权投资基金管理有限公司", Kind.INVESTMENT, "股权投资", 2),
    ("{b}证券股份有限公司", Kind.FINANCIAL, "证券", 1),
    ("{b}基金管理有限公司", Kind.FINANCIAL, "公募基金", 1),
    ("{p}{b}融资租赁有限公司", Kind.FINANCIAL, "融资租赁", 1),
    ("{p}{b}会计师事务所", Kind.INTERMEDIARY, "审计", 1),
    ("{p}{b}律师事务所", Kind.INTERMEDIARY, "法律服务", 1),
    ("{p}{b}管理咨询有限公司", Kind.INTERMEDIARY, "管理咨询", 2),
    ("{p}{b}投资控股有限公司", Kind.STATE_OWNED, "国有资本运营", 1),
    ("{p}{b}产业促进会", Kind.ASSOCIATION, "行业服务", 1),
    ("{f}（中国）投资有限公司", Kind.FOREIGN, "跨国公司地区总部", 1),
]
BRANDS = [
    "鹏程", "华讯", "海纳", "智汇", "云启", "恒信", "瑞丰", "博远", "盛达", "天行", "新锐",
    "宏图", "锦程", "远航", "蓝海", "启明", "汇智", "金石", "泰和", "中瑞", "嘉盛", "正源",
    "安达", "信诺", "华锐", "睿博", "凯旋", "德润", "鼎新", "永信", "致远", "思源", "明德",
    "润泽", "清源", "澜海", "星澜", "和光", "同创", "尚品", "丰源", "聚力", "合众", "北辰",
    "长青", "怡丰", "卓信", "英博", "天成", "易达", "联创", "久安", "弘远", "沐光", "致新",
    "元启", "方圆", "浦瑞", "申联", "鹏瑞",
]  # fmt: skip
FOREIGN_BRANDS = [
    "凯斯伦", "维德曼", "艾瑞森", "诺斯菲", "德莱恩", "贝利安", "斯坦沃", "霍尔曼", "兰德斯",
    "梅尔顿",
]  # fmt: skip

# What a cadre does at a host unit (岗位), by the unit's kind; companies use COMPANY_ROLES.
ROLES = {
    Kind.EXCHANGE: ["研究员", "分析师", "专员"],
    Kind.FINANCIAL: ["分析师", "研究员", "客户经理", "专员"],
    Kind.INVESTMENT: ["投资经理", "分析师", "研究员", "投后管理专员"],
    Kind.INTERMEDIARY: ["咨询顾问", "项目经理", "专员"],
    Kind.ASSOCIATION: ["秘书长助理", "策划", "专员"],
}
COMPANY_ROLES = ["专员", "策划", "解决方案专家", "运营总监", "总裁助理", "项目经理", "市场专员"]

# --- Home units and positions --------------------------------------------------------------------

DISTRICT_CODES = {
    "市南区": "370202",
    "市北区": "370203",
    "黄岛区": "370211",
    "崂山区": "370212",
    "李沧区": "370213",
    "城阳区": "370214",
    "即墨区": "370215",
    "胶州市": "370281",
    "平度市": "370283",
    "莱西市": "370285",
}
DISTRICTS = list(DISTRICT_CODES)
# City-level and central units sit in 市南区, the seat of the city government.
CITY_SEAT = "市南区"

CITY_UNITS = {
    Category.PARTY_GOVERNMENT: [
        "市委办公厅", "市政府办公厅", "市委组织部", "市委宣传部", "市发展改革委",
        "市工业和信息化局", "市科技局", "市财政局", "市商务局", "市自然资源和规划局",
        "市住房城乡建设局", "市交通运输局", "市文化和旅游局", "市卫生健康委", "市市场监管局",
        "市行政审批服务局", "市地方金融监管局", "市民营经济发展局", "市国资委", "市大数据局",
        "市海洋发展局", "市人力资源社会保障局", "团市委", "市工商联",
    ],
    Category.PUBLIC_INSTITUTION: [
        "市公共资源交易中心", "市城市规划设计研究院", "市社会科学院", "市科学技术信息研究院",
        "市就业服务中心", "市投资促进中心",
    ],
    Category.CENTRAL_UNIT: [
        "青岛海关", "国家税务总局青岛市税务局", "中国人民银行青岛市中心支行", "青岛银保监局",
        "青岛证监局",
    ],
}  # fmt: skip
STATE_ENTERPRISES = [
    ("青岛国信发展（集团）有限责任公司", "市南区"),
    ("青岛城市建设投资（集团）有限责任公司", "市南区"),
    ("青岛地铁集团有限公司", "市北区"),
    ("青岛港集团有限公司", "市北区"),
    ("青岛华通国有资本投资运营集团有限公司", "市南区"),
    ("青岛海发国有资本投资运营集团有限公司", "市南区"),
]
FUNCTIONAL_ZONES = [
    ("青岛西海岸新区管委", "黄岛区"),
    ("青岛高新区管委", "城阳区"),
    ("中国（山东）自由贸易试验区青岛片区管委", "黄岛区"),
    ("中国—上海合作组织地方经贸合作示范区管委", "胶州市"),
    ("青岛蓝谷管理局", "即墨区"),
    ("青岛前湾保税港区管委", "黄岛区"),
]
# Appended to a district's name: 即墨区发展和改革局, 胶州市委办公室.
DISTRICT_OFFICES = [
    "人民政府办公室", "委办公室", "发展和改革局", "商务局", "科技局", "财政局",
    "工业和信息化局", "行政审批服务局", "投资促进中心",
]  # fmt: skip
TOWNS = {
    "市南区": ["八大关街道", "江苏路街道"],
    "市北区": ["台东街道", "辽宁路街道"],
    "黄岛区": ["灵山卫街道", "藏南镇"],
    "崂山区": ["沙子口街道", "王哥庄街道"],
    "李沧区": ["九水街道", "虎山路街道"],
    "城阳区": ["流亭街道", "棘洪滩街道"],
    "即墨区": ["北安街道", "段泊岚镇"],
    "胶州市": ["胶东街道", "李哥庄镇"],
    "平度市": ["南村镇", "蓼兰镇"],
    "莱西市": ["姜山镇", "院上镇"],
}
ENTERPRISE_LINES = [
    "科技", "信息技术", "智能装备", "生物科技", "海洋科技", "食品", "新材料", "供应链管理",
    "文化创意",
]  # fmt: skip
FOUNDER_POSITIONS = ["董事长", "总经理", "创始人", "执行董事"]

# The level of a home unit decides which ranks it has and what their positions are called.
# {chief}/{deputy} are the unit's head titles (局长/副局长, 主任/副主任, 镇长/副镇长 …),
# {party} its party committee (党委, 党工委).
POSITIONS = {
    "city": {
        Rank.BUREAU_CHIEF: ["一级巡视员"],
        Rank.BUREAU_DEPUTY: ["二级巡视员"],
        Rank.DIVISION_CHIEF: ["处长", "处长", "主任", "一级调研员", "二级调研员"],
        Rank.DIVISION_DEPUTY: ["副处长", "副处长", "副主任", "三级调研员", "四级调研员"],
        Rank.SECTION_CHIEF: ["科长", "一级主任科员", "二级主任科员"],
        Rank.SECTION_DEPUTY: ["副科长", "三级主任科员", "四级主任科员"],
        Rank.STAFF: ["一级科员", "二级科员"],
    },
    "zone": {
        Rank.BUREAU_DEPUTY: ["{deputy}"],
        Rank.DIVISION_CHIEF: ["部长"],
        Rank.DIVISION_DEPUTY: ["副部长"],
        Rank.SECTION_CHIEF: ["科长"],
        Rank.SECTION_DEPUTY: ["副科长"],
        Rank.STAFF: ["科员"],
    },
    "enterprise": {
        Rank.DIVISION_CHIEF: ["部长", "总经理助理"],
        Rank.DIVISION_DEPUTY: ["副部长"],
        Rank.SECTION_CHIEF: ["高级经理"],
        Rank.SECTION_DEPUTY: ["经理"],
        Rank.STAFF: ["专员"],
    },
    "district": {
        Rank.DIVISION_CHIEF: ["{chief}"],
        Rank.DIVISION_DEPUTY: ["{deputy}"],
        Rank.SECTION_CHIEF: ["科长"],
        Rank.SECTION_DEPUTY: ["副科长"],
        Rank.STAFF: ["科员"],
    },
    "town": {
        Rank.DIVISION_CHIEF: ["{party}书记"],
        Rank.DIVISION_DEPUTY: ["{party}副书记", "{deputy}"],
        Rank.SECTION_CHIEF: ["经济发展办公室主任"],
        Rank.SECTION_DEPUTY: ["党政办公室副主任"],
        Rank.STAFF: ["科员"],
    },
}
LEVEL_OF_CATEGORY = {
    Category.PARTY_GOVERNMENT: "city",
    Category.PUBLIC_INSTITUTION: "city",
    Category.CENTRAL_UNIT: "city",
    Category.FUNCTIONAL_ZONE: "zone",
    Category.STATE_ENTERPRISE: "enterprise",
    Category.DISTRICT: "district",
    Category.TOWN: "town",
}
CATEGORY_WEIGHTS = {
    Category.PARTY_GOVERNMENT: 34,
    Category.PUBLIC_INSTITUTION: 8,
    Category.STATE_ENTERPRISE: 10,
    Category.FUNCTIONAL_ZONE: 10,
    Category.DISTRICT: 20,
    Category.TOWN: 10,
    Category.CENTRAL_UNIT: 3,
    Category.PRIVATE_ENTREPRENEUR: 5,
}
RANK_WEIGHTS = {
    Rank.BUREAU_CHIEF: 1,
    Rank.BUREAU_DEPUTY: 3,
    Rank.DIVISION_CHIEF: 16,
    Rank.DIVISION_DEPUTY: 32,
    Rank.SECTION_CHIEF: 25,
    Rank.SECTION_DEPUTY: 15,
    Rank.STAFF: 8,
}

# --- People --------------------------------------------------------------------------------------

# Birth years by decade, kept to ages a cadre can have in 2019–2021.
BIRTH_YEARS = {
    1960: range(1964, 1970),
    1970: range(1970, 1980),
    1980: range(1980, 1990),
    1990: range(1990, 1996),
}
# Senior ranks are older; over all cadres this leans to 70后 and 80后.
DECADE_WEIGHTS = {
    Tier.BUREAU: {1960: 4, 1970: 6},
    Tier.DIVISION: {1960: 15, 1970: 50, 1980: 35},
    Tier.SECTION: {1970: 20, 1980: 60, 1990: 20},
    Tier.STAFF: {1980: 30, 1990: 70},
    Tier.NONE: {1960: 10, 1970: 40, 1980: 40, 1990: 10},
}
# Common surnames, with those frequent in Shandong (于, 姜, 曲, 隋, 逄) a little over-represented.
SURNAMES = (
    "王王王王李李李张张张刘刘刘陈陈杨杨赵赵黄周吴徐徐孙孙胡朱高林何郭马罗于于姜姜董宋曲隋逄"
    "薛韩冯邵丁崔宫修臧鲁"
)
MALE_GIVEN = "伟强磊军涛斌鹏杰浩宇峰超明刚辉勇建国志海东晓文华俊凯昊博飞洋宁兴成振庆光春林健亮"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷倩雪慧颖琳洁红梅萍晶璐瑶妍悦欣佳晓文华宁春凤兰莉蕾媛"
ETHNICITIES = {"汉族": 970, "回族": 10, "满族": 10, "朝鲜族": 5, "蒙古族": 5}
POLITICAL_STATUSES = {
    "cadre": {"中共党员": 90, "民盟盟员": 2, "九三学社社员": 2, "民建会员": 1, "无党派人士": 2,
              "群众": 3},
    "entrepreneur": {"中共党员": 40, "群众": 40, "民建会员": 10, "无党派人士": 10},
}  # fmt: skip
EDUCATIONS = {"大学本科": 45, "硕士研究生": 45, "博士研究生": 7, "大学专科": 3}
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "158", "159", "176", "177", "180", "181", "182", "185", "186", "187", "188",
    "189", "198", "199",
]  # fmt: skip


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
                Rank.DIVISION_DEPUTY, Category.PARTY_GOVERNMENT, CITY_SEAT, "诚唐文化集团"),
    NamedPerson("SH-5", "刘洪涛", True, date(1976, 11, 2), "青岛闪收付信息技术有限公司", "创始人",
                Rank.OTHER, Category.PRIVATE_ENTREPRENEUR, "市南区"),
    NamedPerson("SZ-3", "汤凤兰", False, date(1982, 6, 19), "市工业和信息化局", "副处长",
                Rank.DIVISION_DEPUTY, Category.PARTY_GOVERNMENT, CITY_SEAT,
                "精锐视觉智能科技（深圳）有限公司"),
    NamedPerson("SZ-4", "王春河", True, date(1971, 9, 23), "市发展改革委", "处长",
                Rank.DIVISION_CHIEF, Category.PARTY_GOVERNMENT, CITY_SEAT, notes=SECRETARY),
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


def build() -> DemoData:
    return _Builder(random.Random(SEED)).build()


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

    def build(self) -> DemoData:
        programmes = {
            code: Programme(code=code, name=name, city=city, kind=kind)
            for code, name, city, kind in PROGRAMMES
        }
        pools = self._host_unit_pools()
        batches, placements = [], []
        for plan in BATCH_PLANS:
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
        used = {p.host_unit.name for p in placements}
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
        self._place(placements, units)
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
        others.sort(key=lambda p: DISTRICTS.index(p.district))
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
            unit, district = rng.choice(CITY_UNITS[category]), CITY_SEAT
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
        birthplace = district if rng.random() < 0.6 else rng.choice(DISTRICTS)
        id_number = self._id_number(born, male, DISTRICT_CODES[birthplace])
        kind = "entrepreneur" if category == Category.PRIVATE_ENTREPRENEUR else "cadre"
        return Cadre(
            name=name,
            name_sort=pinyin_sort_key(name),  # bulk_create skips save(), which sets it
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
