"""The fixed cost of a request: the middleware stack and the context processors, measured on a
trivial authenticated page (the notification centre of a user with no notifications: one
count, one empty list, the site's frame), in CPU time of this process.

Each request is a WSGI call with the session cookie a browser would send, so that loading the
session and the user is counted, as is everything between gunicorn and the view. Run by
bench/run.py (step "pages") with its production-like environment, or alone:

    DATABASE_URL=postgres://…/cadreprog_bench .venv/bin/python bench/middleware_cost.py
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

PAGE = "/notifications/"
CSRF_COOKIE = "benchcsrfbenchcsrfbenchcsrfbench"
ROUNDS = 5
LOCAL = ("", "localhost", "127.0.0.1", "::1")  # a server whose processes /proc shows


def environ_for(url: str, cookie: str) -> dict:
    path, _, query = url.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
        "HTTP_USER_AGENT": "bench",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def session_cookie(username: str, device=None) -> str:
    """The cookies of a browser logged in as `username` (a session saved in the database),
    having entered a code of `device` when one is given."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from security.two_factor import HAS_DEVICE

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[HAS_DEVICE] = True
        session.save()
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_COOKIE}"


def call(application, environ: dict) -> tuple[str, bytes]:
    status = []
    body = b"".join(
        application(dict(environ, **{"wsgi.input": io.BytesIO(b"")}), lambda s, h: status.append(s))
    )
    return status[0], body


def postgres_backend(connection):
    """The PostgreSQL server process of this connection (None on SQLite, or if not readable)."""
    if connection.vendor != "postgresql" or connection.settings_dict["HOST"] not in LOCAL:
        return None
    import psutil

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def cpu_seconds(process) -> float | None:
    """CPU seconds of `process` so far; None if there is none (SQLite) or no longer (a backend
    closed after CONN_MAX_AGE)."""
    import psutil

    try:
        times = process.cpu_times()
    except (AttributeError, psutil.Error):
        return None
    return times.user + times.system


def middleware_cost(
    requests: int = 500, username: str = "bench-staff", page: str = PAGE, two_factor: bool = True
) -> dict:
    """{"page", "cpu_ms_per_request", "queries", …} of `page` for `username` over `requests`
    calls: this process's CPU (Django, from the WSGI call to the last byte of the answer) and
    the CPU of the PostgreSQL backend that served it (read from /proc, PostgreSQL only).

    With `two_factor`, as production has it for staff: the user has an authenticator app and
    entered its code at login, so that django-otp loads the device on every request (the app
    is removed afterwards)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = None
    if two_factor:
        user = get_user_model().objects.get(username=username)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    try:
        return {**measured(requests, username, page, device), "two_factor": two_factor}
    finally:
        if device is not None:
            device.delete()


def measured(requests: int, username: str, page: str, device) -> dict:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    application = WSGIHandler()
    environ = environ_for(page, session_cookie(username, device))
    for _ in range(min(20, requests)):  # templates, translations, permissions and connections made
        status, _body = call(application, environ)
        assert status.startswith("200"), status
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        status, body = call(application, environ)
    backend = postgres_backend(connection)
    backend_before = cpu_seconds(backend)
    # In rounds, of which the median: other work on the machine slows this process's CPU too
    # (caches, frequency), by bursts.
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(max(1, requests // ROUNDS)):
            call(application, environ)
        rounds.append((time.process_time() - started) / max(1, requests // ROUNDS))
    requests = max(1, requests // ROUNDS) * ROUNDS
    backend_after = cpu_seconds(backend)
    backend_cpu = (
        None if None in (backend_before, backend_after) else backend_after - backend_before
    )
    return {
        "page": page,
        "username": username,
        "requests": requests,
        "cpu_ms_per_request": round(statistics.median(rounds) * 1000, 2),
        "postgres_cpu_ms_per_request": None
        if backend_cpu is None
        else round(backend_cpu / requests * 1000, 2),
        "queries": len(queries),
        "bytes": len(body),
        "query_list": [sql[:200] for sql in queries],
    }


def production_like_environment():
    """bench/run.py's settings (DEBUG off, production storage and security but plain HTTP on
    loopback), for running a module of the benchmark alone; DATABASE_URL as given."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    os.environ.update({
        "DEBUG": "0", "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false", "WHITENOISE_USE_FINDERS": "true",
        "TWO_FACTOR_REQUIRED": "false", "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "60",
    })  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadreprog.settings")


def main():
    production_like_environment()
    import django

    django.setup()
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    username = os.environ.get("BENCH_USER", "bench-staff")
    two_factor = os.environ.get("BENCH_TWO_FACTOR", "1") == "1"
    page = sys.argv[2] if len(sys.argv) > 2 else PAGE
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        result = middleware_cost(requests, username, page, two_factor)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    else:
        result = middleware_cost(requests, username, page, two_factor)
    for sql in result.pop("query_list"):
        print("  ", sql)
    print(result)


if __name__ == "__main__":
    main()
