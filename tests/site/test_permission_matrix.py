"""Every route of the project, as anonymous, a lead of SZ-3, a lead of SH-5 and staff.

Each URL pattern needs an entry in ROUTES saying what each of them gets; a new route without
one fails `test_every_route_has_an_expectation`, so nothing ships unscoped. Path parameters are
filled with the id of an SZ-3 object and of an SH-5 object: OWN means a lead gets 200 for their
own batch's object and 404 for the other's. Whatever a lead gets with 200 must not show the
other batch's cadres.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from cohorts.roles import LEAD_GROUP, STAFF_GROUP
from ledger.models import DutyUpload, ProgressEntry
from notifications.models import Delivery, Notification
from placements.models import RosterImport
from rosters.models import RosterExport
from security.api_tokens import api_token_create
from security.models import AccessRecord

from ..api.conftest import bearer
from ..factories import (
    CadreFactory,
    DutyFactory,
    HostUnitFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
    TopicFactory,
)
from ..helpers import body

pytestmark = pytest.mark.django_db

# Outcomes besides status codes.
LOGIN = "302 to the login page"
ADMIN_LOGIN = "302 to the admin's login page"
REDIRECT = "302 elsewhere"
OWN = "200 for the lead's own batch, 404 for the other"
ANON, LEAD, STAFF = "anonymous", "lead", "staff"


@dataclass
class Route:
    anonymous: object
    lead: object  # both leads; OWN when the route names an object of a batch
    staff: object
    obj: str | None = None  # which object fills the path parameters
    url: str | None = None  # for regular-expression routes: the path to request
    query: str = ""
    post: tuple | None = None  # (anonymous, lead, staff) for a POST, when the route takes one


def admin_model(path, obj, staff=200, lead=ADMIN_LOGIN):
    """The six routes the admin gives each registered model."""
    one = f"admin/{path}/<path:object_id>/"
    return {
        f"admin/{path}/": Route(ADMIN_LOGIN, lead, staff),
        f"admin/{path}/add/": Route(ADMIN_LOGIN, lead, staff),
        f"{one}history/": Route(ADMIN_LOGIN, lead, staff, obj),
        f"{one}delete/": Route(ADMIN_LOGIN, lead, staff, obj),
        f"{one}change/": Route(ADMIN_LOGIN, lead, staff, obj),
        one: Route(ADMIN_LOGIN, lead, REDIRECT, obj),  # redirects to change/
    }


ROUTES = {
    # Staff pages (issue 5): the dashboard sends a lead to their own page.
    "": Route(LOGIN, REDIRECT, 200),
    "placements/": Route(LOGIN, 200, 200),
    "placements/export/": Route(LOGIN, 200, 200),
    "cadres/": Route(LOGIN, 200, 200),
    "cadres/export/": Route(LOGIN, 200, 200),
    "host-units/": Route(LOGIN, 200, 200),
    "i18n/setlang/": Route(REDIRECT, REDIRECT, REDIRECT),
    # The icon among the static files, for everyone (issue 16).
    "favicon.ico": Route(REDIRECT, REDIRECT, REDIRECT),
    # Login and the team leads' pages.
    "accounts/login/": Route(200, REDIRECT, REDIRECT),
    "accounts/logout/": Route(405, 405, 405),
    "lead/": Route(LOGIN, 200, 200),
    "lead/batches/<int:pk>/": Route(LOGIN, OWN, 200, "batch"),
    # A POST is first answered with the confirmation page (issue 13).
    "lead/batches/<int:pk>/status/": Route(405, 405, 405, "batch", post=(LOGIN, OWN, 200)),
    "lead/placements/<int:pk>/": Route(LOGIN, OWN, 200, "placement"),
    "lead/placements/<int:pk>/history/": Route(LOGIN, OWN, 200, "placement"),
    "lead/host-units/": Route(LOGIN, 200, 200, query="?q=深圳"),
    # Duties, topics and outcomes (issue 8): a lead's own batch; the lists scoped to it.
    "lead/batches/<int:pk>/duties/": Route(LOGIN, OWN, 200, "batch"),
    "lead/batches/<int:pk>/duties/record/": Route(
        LOGIN, (REDIRECT, 404), REDIRECT, "batch", post=(LOGIN, (400, 404), 400)
    ),
    "lead/batches/<int:pk>/duties/import/": Route(
        LOGIN, (REDIRECT, 404), REDIRECT, "batch", post=(LOGIN, (400, 404), 400)
    ),
    # A large progress upload's status page and progress (issue 17): its uploader only, while
    # they lead its batch (here each lead's own); anyone else's is a 404. A POST starts it again
    # (refused here: it is imported already, so back to its page).
    "lead/batches/<int:pk>/duties/import/<str:token>/": Route(
        LOGIN, OWN, 404, "dutyupload", post=(LOGIN, (REDIRECT, 404), 404)
    ),
    "lead/batches/<int:pk>/duties/import/<str:token>/progress/": Route(
        LOGIN, OWN, 404, "dutyupload"
    ),
    "lead/batches/<int:pk>/outcomes/": Route(
        LOGIN, OWN, 200, "batch", post=(LOGIN, (400, 404), 400)
    ),
    "duties/behind/": Route(LOGIN, (200, 404), 200, query="?batch=SZ-3&duty=学习日志"),
    "duties/behind/export/": Route(
        LOGIN, (200, 404), 200, query="?batch=SZ-3&duty=学习日志&format=csv"
    ),
    "outcomes/suggestions/": Route(LOGIN, 200, 200),
    "outcomes/projects/": Route(LOGIN, 200, 200),
    # A batch's handouts (issue 16): staff every batch, a lead their own.
    "batches/<str:code>/print/": Route(LOGIN, OWN, 200, "batch"),
    "batches/<str:code>/contacts/": Route(LOGIN, OWN, 200, "batch"),
    # The admin: staff only; leads are not is_staff (their scope in the admin is tested in
    # test_team_leads with a lead who is).
    "admin/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/login/": Route(200, 200, REDIRECT),
    "admin/logout/": Route(REDIRECT, REDIRECT, 405),  # the admin sends non-staff to its index
    "admin/password_change/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/password_change/done/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/autocomplete/": Route(
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        200,
        query="?app_label=placements&model_name=placement&field_name=batch",
    ),  # fmt: skip
    "admin/jsi18n/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/r/<path:content_type_id>/<path:object_id>/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 404, "placement"
    ),  # placements have no page of their own outside the admin
    "admin/<app_label>/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200, url="admin/cohorts/"),
    "admin/(?P<url>.*)$": Route(ADMIN_LOGIN, ADMIN_LOGIN, 404, url="admin/no-such-page/"),
    **admin_model("cohorts/programme", "programme"),
    **admin_model("cohorts/batch", "batch"),
    **admin_model("cohorts/cadre", "cadre"),
    **admin_model("placements/hostunit", "hostunit"),
    **admin_model("placements/placement", "placement"),
    **admin_model("ledger/duty", "duty"),
    "admin/ledger/duty/copy/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    **admin_model("ledger/progressentry", "progressentry"),
    **admin_model("ledger/topic", "topic"),
    **admin_model("ledger/suggestion", "suggestion"),
    **admin_model("ledger/project", "project"),
    # Roster import and export (issue 3): staff only.
    "admin/placements/placement/import/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/placements/placement/import/confirm/": Route(ADMIN_LOGIN, ADMIN_LOGIN, REDIRECT),
    "admin/placements/placement/import/<str:token>/errors/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 404, url="admin/placements/placement/import/no-such-token/errors/"
    ),
    "admin/placements/placement/import/template/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    # A large upload's status page and progress (issue 17): its uploader only, 404 otherwise.
    "admin/placements/placement/import/<str:token>/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 404, url="admin/placements/placement/import/no-such-token/"
    ),
    "admin/placements/placement/import/<str:token>/progress/": Route(
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        404,
        url="admin/placements/placement/import/no-such-token/progress/",
    ),  # fmt: skip
    "admin/placements/placement/export/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    # The host-unit directory (issue 16): django-import-export's pages, staff only.
    "admin/placements/hostunit/import/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    "admin/placements/hostunit/process_import/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 405),
    "admin/placements/hostunit/export/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 200),
    **admin_model("placements/rosterimport", "rosterimport"),
    # The import log is a record: nobody adds or deletes one by hand.
    "admin/placements/rosterimport/add/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 403),
    "admin/placements/rosterimport/<path:object_id>/delete/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, "rosterimport"
    ),
    # Users and groups are the superuser's: staff manage batches, not accounts.
    **admin_model("auth/user", "user", staff=403),
    "admin/auth/user/<id>/password/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 403, "user"),
    **admin_model("auth/group", "group", staff=403),
    # Two-factor login (issue 7): each user's own pages.
    "accounts/two-factor/": Route(LOGIN, 200, 200),
    "accounts/two-factor/verify/": Route(LOGIN, REDIRECT, REDIRECT),  # no device: to setup
    # The personal-data access log: staff read it; nobody adds, changes or deletes it.
    **admin_model("security/accessrecord", "accessrecord"),
    "admin/security/accessrecord/add/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 403),
    "admin/security/accessrecord/<path:object_id>/delete/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, "accessrecord"
    ),
    # API tokens (issue 19): made on the command line; staff list and revoke them, nobody adds
    # or deletes one here.
    **admin_model("security/apitoken", "apitoken"),
    "admin/security/apitoken/add/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 403),
    "admin/security/apitoken/<path:object_id>/delete/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, "apitoken"
    ),
    # Prepared exports (issue 17): their asker's only (here each lead's own); another's is a 404.
    "exports/<int:pk>/": Route(LOGIN, OWN, 404, "rosterexport"),
    "exports/<int:pk>/progress/": Route(LOGIN, OWN, 404, "rosterexport"),
    "exports/<int:pk>/download/": Route(LOGIN, OWN, 404, "rosterexport"),
    # The notification centre (issue 17): each user's own notifications; another's is a 404.
    "notifications/": Route(LOGIN, 200, 200),
    "notifications/<int:pk>/open/": Route(LOGIN, (REDIRECT, 404), 404, "notification"),
    "notifications/read/": Route(405, 405, 405, post=(LOGIN, REDIRECT, REDIRECT)),
    "notifications/settings/": Route(LOGIN, 200, 200, post=(LOGIN, REDIRECT, REDIRECT)),
    # Deliveries (e-mail, group chat) are a record: staff read them; nobody adds, changes or
    # deletes one (the change page shows it read-only).
    **admin_model("notifications/delivery", "delivery"),
    "admin/notifications/delivery/add/": Route(ADMIN_LOGIN, ADMIN_LOGIN, 403),
    "admin/notifications/delivery/<path:object_id>/delete/": Route(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, "delivery"
    ),
}


# The API (issue 19): every route and every method, with a token of each user (none for
# anonymous: 401). A method a route does not take is 405 once authenticated.
API_METHODS = ("get", "post", "put", "patch", "delete")
NOT_ALLOWED = (401, 405, 405)


@dataclass
class Api:
    """What anonymous, a lead (OWN, or (own, other)) and staff get, for each method the route
    takes; `send(method, objects)` gives the JSON body and headers of a write, made afresh for
    each request (an If-Match needs the version of the moment)."""

    get: tuple | None = None
    post: tuple | None = None
    put: tuple | None = None
    patch: tuple | None = None
    delete: tuple | None = None
    obj: str | None = None
    url: str | None = None
    query: str = ""
    send: Callable | None = None
    session: bool = False  # a page for people: logged in with the browser's session


def placement_change(method, objects):
    version = type(objects["placement"]).objects.get(pk=objects["placement"].pk).version
    return {"notes": "已到岗"}, {"HTTP_IF_MATCH": f'"{version}"'}


def placement_status(method, objects):
    return {"ids": [objects["placement"].pk], "status": "on_site"}, {}


API_ROUTES = {
    # The schema for any user with a token or a session; its documentation is a page (login).
    "api/schema/": Api(get=(401, 200, 200)),
    "api/docs/": Api(
        get=(LOGIN, 200, 200),
        post=(LOGIN, 405, 405),
        put=(LOGIN, 405, 405),
        patch=(LOGIN, 405, 405),
        delete=(LOGIN, 405, 405),
        session=True,
    ),  # fmt: skip
    # Programmes and batches: a lead's own and their programme; the others are a 404.
    # What no route takes (an id of 0.5, a mistyped name): a JSON 404 for everyone.
    "api/": Api(
        get=(404, 404, 404),
        post=(404, 404, 404),
        put=(404, 404, 404),
        patch=(404, 404, 404),
        delete=(404, 404, 404),
    ),  # fmt: skip
    "api/<path:rest>": Api(
        get=(404, 404, 404),
        post=(404, 404, 404),
        put=(404, 404, 404),
        patch=(404, 404, 404),
        delete=(404, 404, 404),
        url="api/v1/batches/0.5/",
    ),  # fmt: skip
    "api/v1/programmes/": Api(get=(401, 200, 200)),
    "api/v1/programmes/<pk>/": Api(get=(401, OWN, 200), obj="programme"),
    "api/v1/batches/": Api(get=(401, 200, 200)),
    "api/v1/batches/<pk>/": Api(get=(401, OWN, 200), obj="batch"),
    # Placements: a lead's own batch's; another's is a 404, and ids outside one's scope in a
    # bulk status change a 400 naming them. A change carries the version of the moment.
    "api/v1/placements/": Api(get=(401, 200, 200)),
    "api/v1/placements/<pk>/": Api(
        get=(401, OWN, 200), patch=(401, OWN, 200), obj="placement", send=placement_change
    ),
    "api/v1/placements/<pk>/history/": Api(get=(401, OWN, 200), obj="placement"),
    "api/v1/placements/status/": Api(post=(401, (200, 400), 200), send=placement_status),
    # Those who may import on the pages (staff; a lead 403). A POST without a file is a 400;
    # an import's status is its starter's only (here none: 404). No list: GET is 405.
    "api/v1/roster-imports/": Api(get=(401, 403, 405), post=(401, 403, 400)),
    "api/v1/roster-imports/<pk>/": Api(
        get=(401, 403, 404), post=(401, 403, 405), url="api/v1/roster-imports/0/"
    ),
    # Cadres and host units: a lead's batches' cadres, and the units they are placed in.
    "api/v1/cadres/": Api(get=(401, 200, 200)),
    "api/v1/cadres/<pk>/": Api(get=(401, OWN, 200), obj="cadre"),
    "api/v1/host-units/": Api(get=(401, 200, 200)),
    "api/v1/host-units/<pk>/": Api(get=(401, OWN, 200), obj="hostunit"),
    # Duties, progress, topics and outcomes: the lead's batches'. A lead records progress for
    # their own batch's placement; another batch's is, to them, no placement (400 naming it).
    "api/v1/duties/": Api(get=(401, 200, 200)),
    "api/v1/duties/<pk>/": Api(get=(401, OWN, 200), obj="duty"),
    "api/v1/progress/": Api(
        get=(401, 200, 200),
        post=(401, (201, 400), 201),
        send=lambda method, objects: (
            {
                "placement": objects["placement"].pk,
                "duty": objects["duty"].pk,
                # A day of the term not recorded yet (a daily duty is recorded once a day).
                "date": str(
                    objects["batch"].start_date.fromordinal(
                        objects["batch"].start_date.toordinal() + ProgressEntry.objects.count()
                    )
                ),
            },
            {},
        ),
    ),
    "api/v1/progress/<pk>/": Api(get=(401, OWN, 200), obj="progressentry"),
    "api/v1/topics/": Api(get=(401, 200, 200)),
    "api/v1/topics/<pk>/": Api(get=(401, OWN, 200), obj="topic"),
    "api/v1/suggestions/": Api(get=(401, 200, 200)),
    "api/v1/suggestions/<pk>/": Api(get=(401, OWN, 200), obj="suggestion"),
    "api/v1/projects/": Api(get=(401, 200, 200)),
    "api/v1/projects/<pk>/": Api(get=(401, OWN, 200), obj="project"),
}


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif prefix.startswith("api/"):
            # REST framework's router writes regular expressions: ^batches/(?P<pk>[^/.]+)/$.
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", str(pattern.pattern))
            yield prefix + route.strip("^$")
        else:
            # The admin's app index lists the registered apps in no fixed order.
            yield re.sub(
                r"\^\(\?P<app_label>[^)]*\)/\$", "<app_label>/", prefix + str(pattern.pattern)
            )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_route_has_an_expectation():
    missing = [route for route in routes() if route not in ROUTES | API_ROUTES]
    assert not missing, (
        "Say who may use these routes: add them to ROUTES in tests/site/test_permission_matrix.py, "
        'e.g. "lead/new/<int:pk>/": Route(LOGIN, OWN, 200, "batch"): ' + ", ".join(missing)
    )


def test_no_expectation_is_left_for_a_route_that_is_gone():
    assert set(ROUTES | API_ROUTES) - set(routes()) == set()


@pytest.fixture
def world(sz3, sh5, lead_sz3, lead_sh5, staff):
    """One object of each kind per side: SZ-3's and SH-5's."""

    def side(batch, name, lead, group):
        placement = PlacementFactory(
            batch=batch, cadre=CadreFactory(name=name), host_unit=HostUnitFactory()
        )
        duty = DutyFactory(programme=None, batch=batch, name="学习日志")
        topic = TopicFactory(batch=batch)
        topic.claimants.add(placement)
        suggestion, project = SuggestionFactory(batch=batch), ProjectFactory(batch=batch)
        suggestion.credited.add(placement)
        project.credited.add(placement)
        return {
            "duty": duty,
            "progressentry": ProgressEntry.objects.create(
                placement=placement, duty=duty, date=batch.start_date
            ),
            "topic": topic,
            "suggestion": suggestion,
            "project": project,
            "batch": batch,
            "placement": placement,
            "cadre": placement.cadre,
            "hostunit": placement.host_unit,
            "programme": batch.programme,
            "user": lead,
            "group": Group.objects.get(name=group),
            "rosterimport": RosterImport.objects.create(
                source="admin", file_name=f"{batch.code}.xlsx", outcome="imported"
            ),
            "apitoken": api_token_create(user=lead, name=batch.code)[0],
            "accessrecord": AccessRecord.objects.create(
                who="staff", kind="export", where=f"{batch.code}.xlsx"
            ),
            "notification": Notification.objects.create(
                user=lead,
                kind="departure",
                key=f"departure:{batch.code}",
                title="提醒",
                url="/lead/",
            ),  # fmt: skip
            "rosterexport": RosterExport.objects.create(
                user=lead,
                file_name=f"{batch.code}.csv",
                format="csv",
                total=1,
                placement_ids=[placement.pk],
                status="ready",
                content=b"x",
                rows=1,
            ),  # fmt: skip
            "dutyupload": DutyUpload.objects.create(
                token=f"token-{batch.pk}",
                user=lead,
                batch=batch,
                file_name="进度.csv",
                state="imported",
                written=1,
            ),  # fmt: skip
            "delivery": Delivery.objects.create(
                key=f"email:{batch.code}",
                channel="email",
                kind="departure",
                batch=batch,
                title="提醒",
                recipient="lead@example.org",
            ),  # fmt: skip
        }

    return {
        "users": {ANON: None, "lead of SZ-3": lead_sz3, "lead of SH-5": lead_sh5, STAFF: staff},
        "SZ-3": side(sz3, "深三甲", lead_sz3, LEAD_GROUP),
        "SH-5": side(sh5, "沪五乙", lead_sh5, STAFF_GROUP),
    }


def url_for(route_pattern, route, objects):
    if route.url:
        return f"/{route.url}{route.query}"
    obj = objects[route.obj] if route.obj else None
    values = {"pk": getattr(obj, "pk", None), "object_id": getattr(obj, "pk", None),
              "id": getattr(obj, "pk", None)}  # fmt: skip
    if obj is not None:
        values["code"] = getattr(obj, "code", None)
        values["token"] = getattr(obj, "token", None)
        if values["token"] is not None:  # an upload's routes name its batch, then its token
            values["pk"] = obj.batch_id
        values["content_type_id"] = ContentType.objects.get_for_model(obj).pk
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), route_pattern)
    return f"/{path}{route.query}"


def outcome_of(response):
    if response.status_code != 302:
        return response.status_code
    if response.url.startswith("/admin/login/"):
        return ADMIN_LOGIN
    if response.url.startswith("/accounts/login/"):
        return LOGIN
    return REDIRECT


def expected(route, who, side, value):
    """What `who` should get on `side`'s object (or on the route when it names none)."""
    if who == ANON:
        rule = value[0]
    elif who == STAFF:
        rule = value[2]
    else:
        rule = value[1]
        own = who.endswith(side)
        if rule == OWN:
            rule = 200 if own else 404
        elif isinstance(rule, tuple):
            rule = rule[0] if own else rule[1]
    return rule


REQUESTS = [(r, "get") for r in ROUTES] + [(r, "post") for r, route in ROUTES.items() if route.post]


@pytest.mark.parametrize(("route_pattern", "method"), REQUESTS)
def test_who_gets_what(client, world, route_pattern, method):
    route = ROUTES[route_pattern]
    rules = (route.anonymous, route.lead, route.staff) if method == "get" else route.post
    sides = ["SZ-3", "SH-5"] if route.obj else ["SZ-3"]
    actual, wanted = {}, {}
    for who, user in world["users"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for side in sides:
            url = url_for(route_pattern, route, world[side])
            response = getattr(client, method)(
                url, {"status": "on_site", "scope": "all"} if method == "post" else None
            )
            actual[who, side] = outcome_of(response)
            wanted[who, side] = expected(route, who, side, rules)
            if who.startswith("lead") and response.status_code == 200:
                other = "沪五乙" if who.endswith("SZ-3") else "深三甲"
                assert other not in body(response).decode(errors="replace"), (who, url)
    assert actual == wanted


@pytest.mark.parametrize("route_pattern", list(API_ROUTES))
def test_api_who_gets_what(world, route_pattern):
    route = API_ROUTES[route_pattern]
    sides = ["SZ-3", "SH-5"] if route.obj else ["SZ-3"]
    tokens = {who: bearer(user) for who, user in world["users"].items() if user is not None}
    actual, wanted = {}, {}
    for method in API_METHODS:
        rules = getattr(route, method) or NOT_ALLOWED
        for who in world["users"]:
            for side in sides:
                url = url_for(route_pattern, route, world[side])
                data, headers = None, {}
                if route.send and getattr(route, method) and method != "get":
                    data, headers = route.send(method, world[side])
                client = APIClient()
                if route.session and who != ANON:
                    client.force_login(world["users"][who])
                token = {} if route.session else tokens.get(who, {})
                response = getattr(client, method)(url, data, format="json", **token, **headers)
                actual[method, who, side] = outcome_of(response)
                wanted[method, who, side] = expected(route, who, side, rules)
                if who.startswith("lead") and response.status_code == 200:
                    other = "沪五乙" if who.endswith("SZ-3") else "深三甲"
                    assert other not in body(response).decode(errors="replace"), (who, url)
    assert actual == wanted
