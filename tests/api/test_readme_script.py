"""The README's external script (section "The API"), run as an operator would: sh and curl
against a live server with a staff member's token. It exports SZ-3's placements, changes one's
status with If-Match and dry-runs a roster."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from placements.models import Placement, PlacementStatus
from security.api_tokens import api_token_create

from ..factories import PlacementFactory
from ..roster_files import csv_bytes, person, table


def readme_script() -> str:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("\n## The API")[1].split("\n## ")[0]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]


@pytest.mark.django_db(transaction=True)
def test_the_readmes_script_exports_changes_a_status_and_dry_runs(live_server, tmp_path, sz3,
                                                                   staff):  # fmt: skip
    assert shutil.which("curl"), "the README's script needs curl (apt-get install curl)"
    placements = PlacementFactory.create_batch(3, batch=sz3, status=PlacementStatus.PENDING)
    _token, key = api_token_create(user=staff, name="README")
    (tmp_path / "api-example.sh").write_text(readme_script())
    (tmp_path / "roster.csv").write_bytes(csv_bytes(table([person(1), person(2)])))

    run = subprocess.run(
        ["sh", "api-example.sh", "roster.csv", "checked_in"],
        cwd=tmp_path,
        env={**os.environ, "CADREPROG": live_server.url, "TOKEN": key},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    pages = [
        json.loads(line) for line in (tmp_path / "sz3-placements.json").read_text().splitlines()
    ]
    exported = [placement["id"] for page in pages for placement in page["results"]]
    assert sorted(exported) == sorted(p.pk for p in placements)
    changed = Placement.objects.get(pk=exported[0])
    assert (changed.status, changed.version) == (
        PlacementStatus.CHECKED_IN,
        placements[0].version + 1,
    )
    dry_run = json.loads(run.stdout.strip().splitlines()[-1])
    assert (dry_run["new"], dry_run["dry_run"], dry_run["errors"]) == (2, True, [])
    assert Placement.objects.count() == 3
