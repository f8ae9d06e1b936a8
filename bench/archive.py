"""Archive-scale data for the benchmark, written with PostgreSQL's COPY, seeded, reproducible.

Programmes, batches (100 cadres each), host units, cadres and one placement per cadre, plus an
empty programme IM whose ten batches the roster-import benchmark fills, a staff user and a team
lead of one in-progress batch. Every value is what the app itself would store (pinyin sort keys,
host-unit name keys, rank tiers), so the pages see realistic data.
"""

import csv
import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from cohorts.idnumbers import check_char
from cohorts.models import Batch, Programme
from cohorts.pinyin import person_pinyin, unit_pinyin
from cohorts.roles import LEAD_GROUP
from cohorts.text import pinyin_sort_key
from demo import ledger as demo_ledger
from ledger.models import Duty
from placements.models import Category, HostUnit, Placement, PlacementStatus, host_unit_key
from placements.ranks import TIER_OF_RANK

SEED = 20261122
PASSWORD = "bench-password-1"
IMPORT_PROGRAMME = "IM"
IMPORT_BATCHES = 10

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌志海燕晓东"
HOME_UNITS = [
    "市发展和改革委员会", "市商务局", "市财政局", "即墨区委组织部", "市住房和城乡建设局",
    "崂山区人民政府", "青岛西海岸新区管委", "市科学技术局", "市国资委", "青岛国信发展（集团）",
    "市南区人民政府", "市北区委办公室", "李沧区发展和改革局", "城阳区商务局", "胶州市人民政府",
]  # fmt: skip
DISTRICTS = ["市南区", "市北区", "李沧区", "崂山区", "城阳区", "黄岛区", "即墨区", "胶州市"]
INDUSTRIES = ["金融", "科技", "制造", "物流", "投资", "咨询", "能源", "医药"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def host_unit_name(u: int) -> str:
    return f"{'深圳' if u % 2 else '上海'}{INDUSTRIES[u % 8]}实训单位{u:05d}有限公司"


def id_number(region: int, born: datetime.date, serial: int) -> str:
    first17 = f"{region:06d}{born:%Y%m%d}{serial:03d}"
    return first17 + check_char(first17)


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows into a table; None is NULL, "" an empty string."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
        count += 1
    buffer.seek(0)
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
    return count


def generate(scale: dict) -> dict:
    """Fill an empty, migrated database; returns what the other benchmarks need to know."""
    rng = random.Random(SEED)
    programmes, per_programme = scale["programmes"], scale["batches"] // scale["programmes"]
    per_batch = scale["cadres"] // scale["batches"]
    today = timezone.localdate()

    _copy(
        "cohorts_programme",
        ["id", "code", "name", "city", "kind", "notes"],
        (
            (p, f"P{p:02d}", f"第{p}实训项目（{'深圳' if p % 2 else '上海'}）",
             "深圳" if p % 2 else "上海", "experiential" if p % 2 else "professional", "")
            for p in range(1, programmes + 1)
        ),
    )  # fmt: skip
    batches = []  # (id, start date)
    for p in range(1, programmes + 1):
        for n in range(1, per_programme + 1):
            # The newest batch of each programme is under way today; the older ones every 60 days.
            start = today - datetime.timedelta(days=30 + (per_programme - n) * 60 + p)
            batches.append((len(batches) + 1, p, n, start))
    _copy(
        "cohorts_batch",
        ["id", "programme_id", "number", "start_date", "term_days", "planned_size", "postponed",
         "postponement_reason", "notes", "version", "wechat_webhook"],
        ((b, p, n, start, 100, per_batch, False, "", "", 1, "") for b, p, n, start in batches),
    )  # fmt: skip
    units = scale["host_units"]
    _copy(
        "placements_hostunit",
        ["id", "name", "name_key", "name_pinyin", "name_initials", "city", "kind", "industry",
         "address", "contact_person", "contact_phone", "notes", "version"],
        (
            (u, host_unit_name(u), host_unit_key(host_unit_name(u)),
             *unit_pinyin(host_unit_name(u)), "深圳" if u % 2 else "上海",
             HostUnit.Kind.values[u % len(HostUnit.Kind.values)], INDUSTRIES[u % 8], "", "", "", "",
             1)
            for u in range(1, units + 1)
        ),
    )  # fmt: skip

    cadres, placements = [], []
    now = timezone.now()
    ranks = list(TIER_OF_RANK)
    for b, _p, _n, start in batches:
        finished = start + datetime.timedelta(days=99) < today
        for k in range(per_batch):
            c = len(cadres) + 1
            born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 30))
            number = id_number(370000 + c // 1000, born, c % 1000)
            name = person_name(rng)
            gender = "M" if int(number[16]) % 2 else "F"
            phone = f"139{c:08d}"
            cadres.append((c, name, pinyin_sort_key(name), *person_pinyin(name), gender, born,
                           number, "", "中共党员", "", phone, "", 1))  # fmt: skip
            rank = rng.choice(ranks)
            status = PlacementStatus.COMPLETED if finished else PlacementStatus.ON_SITE
            host = rng.randrange(1, units + 1) if rng.random() < 0.9 else None
            placements.append((
                c, c, b, rng.choice(HOME_UNITS), "副处长", rank, TIER_OF_RANK[rank],
                Category.values[k % len(Category.values)], rng.choice(DISTRICTS),
                f"第{k % 8 + 1}组",
                "投资经理助理" if host else "", "", "", None, None, status, "", now, now, host, 1,
            ))  # fmt: skip
    _copy(
        "cohorts_cadre",
        ["id", "name", "name_sort", "name_pinyin", "name_initials", "gender", "birth_date",
         "id_number", "ethnicity", "political_status", "education", "phone", "notes", "version"],
        cadres,
    )  # fmt: skip
    _copy(
        "placements_placement",
        ["id", "cadre_id", "batch_id", "home_unit", "position", "rank", "rank_tier", "category",
         "district", "group", "role", "department", "mentor", "start_date", "end_date", "status",
         "notes", "created_at", "updated_at", "host_unit_id", "version"],
        placements,
    )  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("cohorts_programme", "cohorts_batch", "placements_hostunit",
                      "cohorts_cadre", "placements_placement"):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )

    imports = Programme.objects.create(code=IMPORT_PROGRAMME, name="导入测试项目", city="深圳")
    for n in range(1, IMPORT_BATCHES + 1):
        # Past batches: an import fills them as a district sends in an old roster; a batch under
        # way holds 80–150 cadres, not the 11,000 a benchmark import puts in each of these.
        Batch.objects.create(programme=imports, number=n, start_date=datetime.date(2016, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would: index-only scans need it

    users = get_user_model().objects
    users.create_superuser("bench-staff", "", PASSWORD)
    lead_batch_id = batches[per_programme - 1][0]  # programme 1's batch under way
    lead = users.create_user("bench-lead", "", PASSWORD)
    lead.groups.add(*Group.objects.filter(name=LEAD_GROUP))
    Batch.objects.get(pk=lead_batch_id).leads.add(lead)
    _ledger(Batch.objects.get(pk=lead_batch_id), rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the ledger's tables too, as autovacuum would
    return facts()


def _ledger(batch: Batch, rng: random.Random):
    """The duties every programme sets, and for the lead's batch under way what the demo's live
    batch has: progress entries up to yesterday, topics with claimants, suggestions and projects
    (demo/ledger.py's generators), so that the lead's pages show a batch at work."""
    Duty.objects.bulk_create(
        Duty(programme=programme, name=name, cadence=cadence, target=target, order=i)
        for programme in Programme.objects.exclude(code=IMPORT_PROGRAMME)
        for i, (name, cadence, target) in enumerate(demo_ledger.EVERY_CADRE)
    )
    people = list(Placement.objects.filter(batch=batch).select_related("batch", "host_unit"))
    duties = list(Duty.objects.filter(programme_id=batch.programme_id))
    demo_ledger._live_progress(batch, people, duties, rng)
    demo_ledger._topics(batch, people, rng)
    outcomes = {batch.code: (70, 27, 12)}  # as many as SZ-1 reported
    demo_ledger._outcomes({batch.code: batch}, {batch.code: people}, rng, outcomes)


def facts() -> dict:
    """What the measurements need to know of the generated data (read back from it)."""
    batches = Batch.objects.exclude(programme__code=IMPORT_PROGRAMME).order_by("pk")
    sample_batch = batches[batches.count() // 2]
    return {
        "lead_batch_id": Batch.objects.get(leads__username="bench-lead").pk,
        "sample_batch_id": sample_batch.pk,
        # A three-character name, as most are: the trigram index answers a search for it.
        "sample_name": sample_batch.placements.filter(cadre__name__regex=r"^...$")
        .values_list("cadre__name", flat=True)
        .first(),
        "sample_host_unit": f"实训单位{HostUnit.objects.count() // 2:05d}",
    }
