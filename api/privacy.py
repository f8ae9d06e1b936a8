"""ID numbers and birth dates in the API, by the rule of cohorts/privacy.py.

A user without 可查看完整身份证号 reads an ID number masked (370212***********2) and a birth date
as year and month ("1985-10"), in every response; nothing the API offers (filters, order) tells
more. A response that shows full ID numbers is written to the access log, with the cadres it
shows, as the pages are (security.services.full_id_record).
"""

from cohorts import idnumbers, privacy
from security.services import full_id_record


def shows_full_ids(request, cadre_ids) -> bool:
    """Whether this response may show these cadres' ID numbers in full; if so, it is logged."""
    if not privacy.shows_full_id(request.user):
        return False
    cadre_ids = list(cadre_ids)
    if cadre_ids:
        full_id_record(request, cadre_ids)
    return True


def id_number(value: str | None, *, full: bool) -> str | None:
    if not value:
        return None
    return value if full else idnumbers.mask(value)


def birth(value, *, full: bool) -> str | None:
    """1985-10-07 in full, else 1985-10."""
    if value is None:
        return None
    return value.isoformat() if full else f"{value:%Y-%m}"
