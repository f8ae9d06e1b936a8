"""Server time and query count of the pages staff and team leads use most, over repeated
requests through Django's test client (in this process, against the benchmark's database)."""

import time
from urllib.parse import quote, urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from measure import summary_ms

from cohorts.models import Batch
from cohorts.pinyin import person_pinyin
from placements.models import HostUnit


def pages(facts: dict) -> list[tuple[str, str, str]]:
    """(label, who, url) of every page measured; who is "staff" or "lead"."""
    batch = Batch.objects.get(pk=facts["sample_batch_id"])
    name = quote(facts["sample_name"])
    unit = HostUnit.objects.filter(name__contains=facts["sample_host_unit"]).first()
    by_batch = f"?batch__id__exact={batch.pk}"
    initials = person_pinyin(facts["sample_name"])[1]  # 王浩 → wh
    unit_pinyin = unit.name_pinyin[:12]  # the first syllables of a host unit's name
    admin = [
        ("programmes", "cohorts/programme", "", f"?q={quote('深圳')}"),
        ("batches", "cohorts/batch", f"?programme__id__exact={batch.programme_id}", "?q=P05"),
        (
            "cadres",
            "cohorts/cadre",
            f"?placements__batch__programme__id__exact={batch.programme_id}",
            f"?q={name}",
        ),  # fmt: skip
        (
            "host units",
            "placements/hostunit",
            "?kind__exact=financial",
            f"?q={quote(facts['sample_host_unit'])}",
        ),  # fmt: skip
        ("placements", "placements/placement", by_batch, f"?q={name}"),
        ("roster imports", "placements/rosterimport", "", "?q=roster"),
    ]
    measured = []
    for label, path, filtered, searched in admin:
        changelist = f"/admin/{path}/"
        measured += [
            (f"admin {label}", "staff", changelist),
            (f"admin {label}, filtered", "staff", changelist + filtered) if filtered else None,
            (f"admin {label}, searched", "staff", changelist + searched),
        ]
    filters = {"batch": batch.code, "status": "completed", "rank_tier": "division"}
    cadre_filters = {"programme": batch.programme.code, "generation": "70后", "gender": "F"}
    measured += [
        ("admin batch change page", "staff", f"/admin/cohorts/batch/{batch.pk}/change/"),
        ("/placements/ with 3 filters", "staff", "/placements/?" + urlencode(filters)),
        ("/placements/ by host unit", "staff", f"/placements/?host_unit={unit.pk}"),
        ("/cadres/ with 3 filters", "staff", "/cadres/?" + urlencode(cadre_filters)),
        ("/cadres/ searched", "staff", f"/cadres/?q={name}"),
        ("/cadres/ searched by pinyin", "staff", f"/cadres/?q={initials}"),
        ("/placements/ searched by pinyin", "staff", f"/placements/?q={unit_pinyin}"),
        ("dashboard", "staff", reverse("dashboard")),
        ("team lead's home", "lead", reverse("lead-home")),
        ("team lead's batch", "lead", reverse("lead-batch", args=[facts["lead_batch_id"]])),
        (
            "team lead's outcomes",
            "lead",
            reverse("ledger-lead-outcomes", args=[facts["lead_batch_id"]]),
        ),  # fmt: skip
    ]
    return [m for m in measured if m]


def measure_pages(facts: dict, repeats: int) -> list[dict]:
    users = get_user_model().objects
    clients = {}
    for who, username in (("staff", "bench-staff"), ("lead", "bench-lead")):
        clients[who] = Client()
        clients[who].force_login(users.get(username=username))
    results = []
    for label, who, url in pages(facts):
        client = clients[who]
        # The first view fills the caches (templates, permissions, the dashboard's figures):
        # measured apart, it is what the page costs when nothing is kept.
        started = time.perf_counter()
        client.get(url)
        first = time.perf_counter() - started
        seconds, queries = [], []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.append(len(captured))
        results.append({"page": label, "url": url, "queries": max(queries),
                        "first_ms": round(first * 1000, 1), **summary_ms(seconds)})  # fmt: skip
        print(f"  {label}: {results[-1]['p95_ms']} ms p95, {results[-1]['queries']} queries")
    return results
