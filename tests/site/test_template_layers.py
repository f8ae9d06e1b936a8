"""Templates stand in the apps' layers too (pyproject.toml's import-linter contract holds the
Python): no template includes, extends or loads the tags of an app above its own."""

import re
from pathlib import Path

from django.conf import settings

# A template's layer is its folder's: an app's name, registration/ (security's login pages) or
# admin/ (the admin site). The templates beside base.html are the site's frame, which every page
# extends: the ground floor, below even security's login page.
LAYERS = {
    "": 0,
    "drf_spectacular": 0,  # a library's page, which api/'s documentation extends
    "registration": 1,
    "cohorts": 3,
    "placements": 4,
    "notifications": 4,
    "ledger": 5,
    "rosters": 5,
    "lead": 6,
    "dashboard": 6,
    "admin": 6,
    "api": 7,
}
APP_LAYERS = LAYERS | {"security": 1, "cadreprog": 2}
# The site's frame (base.html, the admin's base_site.html) links the notification centre by
# {% url … as %}, silent when the page is not there, and reads the bell's count from a context
# processor: neither includes, extends nor loads anything of the notifications app.
USES = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
LOADS = re.compile(r"\{%\s*load\s+([^%]+?)\s*%\}")


def templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    for root in roots:
        for path in root.rglob("*.html"):
            yield path.relative_to(root).as_posix(), path.read_text()


def layer(name: str) -> int:
    folder = name.split("/")[0] if "/" in name else ""
    return LAYERS[folder]


def tag_libraries() -> dict[str, int]:
    """{library: the layer of the app that defines it}, for the project's own tag libraries."""
    base = Path(settings.BASE_DIR)
    return {path.stem: APP_LAYERS[path.parts[-3]] for path in base.glob("*/templatetags/*.py")}


def test_no_template_includes_or_extends_one_of_a_higher_layer():
    upward = [
        (name, used)
        for name, text in templates()
        for used in USES.findall(text)
        if layer(used) > layer(name)
    ]
    assert upward == []


def test_no_template_loads_tags_of_a_higher_layer():
    libraries = tag_libraries()
    upward = [
        (name, library)
        for name, text in templates()
        for loaded in LOADS.findall(text)
        for library in loaded.split()
        if libraries.get(library, 0) > layer(name)
    ]
    assert upward == []
