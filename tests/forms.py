"""What a browser sends back: the fields of a form on a page, read from its HTML.

Tests that open a page, change a field or two and save it post exactly what the page held
(hidden inputs included), as a person at the browser does.
"""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(attributes, [(name, value), …]), …]
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = []
            self.forms.append((attrs, self._fields))
        elif self._fields is None or "disabled" in attrs:
            return
        elif tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in SKIPPED_INPUTS or kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._fields.append((attrs["name"], attrs.get("value") or ("on" if kind in (
                "checkbox", "radio") else "")))  # fmt: skip
        elif tag == "select" and "name" in attrs:
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea" and "name" in attrs:
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["chosen"] or ([] if select["multiple"] else [select["first"]])
            self._fields.extend((select["name"], v) for v in chosen if v is not None)
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._textarea = None
            # A browser drops the newline that follows <textarea>, as Django writes it.
            self._fields.append((name, text[1:] if text.startswith("\n") else text))


def form_data(html: str, having: str) -> dict[str, list[str]]:
    """The fields of the first form on the page with a field whose name ends with `having`."""
    parser = _Forms()
    parser.feed(html)
    for _attrs, fields in parser.forms:
        if any(name.endswith(having) for name, _value in fields):
            data = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a field {having!r} on the page")


def opened(client, url: str, having: str = "expected_version") -> dict[str, list[str]]:
    """What the form at `url` sends back when nothing is changed."""
    response = client.get(url)
    assert response.status_code == 200, url
    return form_data(response.content.decode(), having)
