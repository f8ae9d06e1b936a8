"""Roster files for the import benchmark: the import's own columns, valid ID numbers, people new
to the archive, spread over the ten batches of programme IM, most placed at known host units."""

import csv
import datetime
import random
from pathlib import Path

from archive import (
    HOME_UNITS,
    IMPORT_BATCHES,
    IMPORT_PROGRAMME,
    host_unit_name,
    id_number,
    person_name,
)

from rosters.columns import COLUMNS

RANKS = ["正处级", "副处", "正科级", "副科", "一级调研员", "科员", "处级"]


def write_roster(path: Path, rows: int, host_units: int) -> Path:
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.header for c in COLUMNS])
        for n in range(rows):
            born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 30))
            # Each file its own regions: people of two files never share an ID number. From
            # 41 (河南) on: 40 is no province's code, and a roster naming it is refused.
            number = id_number(410000 + rows // 1000 * 100 + n // 1000, born, n % 1000)
            unit = rng.randrange(1, host_units + 1)
            values = {
                "batch": f"{IMPORT_PROGRAMME}-{n % IMPORT_BATCHES + 1}",
                "name": person_name(rng),
                "gender": "男" if int(number[16]) % 2 else "女",
                "birth_date": f"{born:%Y.%m}",
                "id_number": number,
                "home_unit": rng.choice(HOME_UNITS),
                "position": "副处长",
                "rank": rng.choice(RANKS),
                "category": "党政群机关",
                "district": "市南区",
                "group": f"第{n % 8 + 1}组",
                # One row in fifty names a unit the archive does not know yet.
                "host_unit": f"新实训单位{n:06d}有限公司" if n % 50 == 0 else host_unit_name(unit),
                "host_role": "投资经理助理",
                "phone": f"138{n:08d}",
            }
            writer.writerow([values.get(c.key, "") for c in COLUMNS])
    return path
