"""Where the load test's CPU goes: each request of bench/locustfile.py's mix, made in this
process through WSGI in the same proportions (staff 3 : leads 1, the tasks' weights, the same
20 names searched), with the CPU of Django (this process) and of the PostgreSQL backend that
served it, per kind of request.

Under load both share the same cores, so a request's server time is roughly the sum of both:
this tells which pages and which of the two sides to make cheaper. Run by bench/run.py after the
load step, or alone on the benchmark's database:

    DATABASE_URL=postgres://…/cadreprog_bench .venv/bin/python bench/mix_cost.py [requests]
"""

import io
import random
import sys
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

from middleware_cost import call, cpu_seconds, environ_for, postgres_backend, session_cookie

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 30


def form_fields():
    """bench/locustfile.py's FormFields and form_of, without importing locust (which patches
    threads and sockets for gevent)."""
    source = (ROOT / "bench" / "locustfile.py").read_text()
    namespace = {"HTMLParser": HTMLParser}
    exec(source[source.index("class FormFields") : source.index("class SiteUser")], namespace)
    return namespace["form_of"]


def mix_cost(facts: dict, requests: int = 300, seed: int = 1) -> dict:
    """{kind: {"requests", "django_cpu_ms", "postgres_cpu_ms"}} and "all" per request."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from cohorts.models import Batch
    from placements.models import Placement

    form_of = form_fields()
    batch = Batch.objects.get(pk=facts["sample_batch_id"])
    names = list(Placement.objects.filter(batch=batch).values_list("cadre__name", flat=True)[:20])
    lead_placements = list(
        Placement.objects.filter(batch_id=facts["lead_batch_id"]).values_list("pk", flat=True)
    )
    cookies = {who: session_cookie(who) for who in ("bench-staff", "bench-lead")}
    application = WSGIHandler()
    rng = random.Random(seed)

    def get(who, url):
        return call(application, environ_for(url, cookies[who]))

    def save():
        pk = rng.choice(lead_placements)
        _status, page = get("bench-lead", f"/lead/placements/{pk}/")
        values = form_of(page.decode())
        values["role"] = f"岗位{rng.randrange(1000)}"
        body = urlencode(values).encode()
        environ = environ_for(f"/lead/placements/{pk}/", cookies["bench-lead"])
        environ.update(REQUEST_METHOD="POST", CONTENT_LENGTH=str(len(body)),
                       CONTENT_TYPE="application/x-www-form-urlencoded")  # fmt: skip
        status = []
        b"".join(
            application({**environ, "wsgi.input": io.BytesIO(body)}, lambda s, h: status.append(s))
        )
        return status[0]

    staff = [
        (3, "/placements/ filtered", lambda: get("bench-staff",
            f"/placements/?batch={batch.code}&status=completed&rank_tier=division")),
        (2, "/cadres/ searched", lambda: get("bench-staff",
            f"/cadres/?q={quote(rng.choice(names))}")),
        (2, "admin placements searched", lambda: get("bench-staff",
            f"/admin/placements/placement/?q={quote(rng.choice(names))}")),
        (1, "admin placements of a batch", lambda: get("bench-staff",
            f"/admin/placements/placement/?batch__id__exact={batch.pk}")),
        (1, "dashboard", lambda: get("bench-staff", "/")),
    ]  # fmt: skip
    leads = [
        (2, "team lead's batch", lambda: get("bench-lead",
            f"/lead/batches/{facts['lead_batch_id']}/")),
        (3, "team lead's form and save (2 requests)", save),
    ]  # fmt: skip
    django, postgres, count = defaultdict(float), defaultdict(float), Counter()
    for number in range(WARM_UP + requests):
        tasks = staff if rng.random() < 0.75 else leads
        _weight, kind, request = rng.choices(tasks, weights=[t[0] for t in tasks])[0]
        backend = postgres_backend(connection)  # a new one after CONN_MAX_AGE
        backend_before, started = cpu_seconds(backend), time.process_time()
        request()
        django_cpu = time.process_time() - started
        backend_after = cpu_seconds(backend)  # None: the connection closed at the request's end
        postgres_cpu = backend_after - backend_before if backend_after and backend_before else 0.0
        if number >= WARM_UP:
            django[kind] += django_cpu
            postgres[kind] += postgres_cpu
            count[kind] += 1
    result = {
        kind: {
            "requests": count[kind],
            "django_cpu_ms": round(django[kind] / count[kind] * 1000, 1),
            "postgres_cpu_ms": round(postgres[kind] / count[kind] * 1000, 1),
        }
        for kind in sorted(count)
    }
    http_requests = sum(count.values()) + count["team lead's form and save (2 requests)"]
    result["all"] = {
        "requests": http_requests,
        "django_cpu_ms": round(sum(django.values()) / http_requests * 1000, 1),
        "postgres_cpu_ms": round(sum(postgres.values()) / http_requests * 1000, 1),
    }
    return result


def main():
    sys.path.insert(0, str(ROOT))
    from middleware_cost import production_like_environment

    production_like_environment()
    import django

    django.setup()
    import archive

    result = mix_cost(archive.facts(), int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    for kind, figures in result.items():
        print(f"{kind:40} {figures}")


if __name__ == "__main__":
    main()
