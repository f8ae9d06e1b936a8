"""The demo data's word lists: host units the articles name and those invented, the city's
units, positions by rank, and the weights of categories, ranks, generations, names, parties and
education the invented cadres are drawn with (demo/roster.py draws from them)."""

from placements.models import HostUnit, Placement
from placements.ranks import Rank, Tier

Category = Placement.Category
Kind = HostUnit.Kind

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
# Cadres of city-level and central units are 市直, not of a district; most of them were born in
# 市南区, the seat of the city government (the region of their ID number).
CITY_LEVEL = "市直"
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
