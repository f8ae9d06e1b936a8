"""Writing the access log: one call per page that shows full ID numbers and per export."""

from .models import AccessRecord


def access_record(*, user=None, who: str = "", kind: str, where: str, cadre_ids) -> AccessRecord:
    """Log that `user` (or, on the command line, the operator `who`) saw these cadres' data."""
    ids = sorted(set(cadre_ids))
    return AccessRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        who=who or (user.get_username() if user is not None else ""),
        kind=kind,
        where=where[:300],
        cadre_count=len(ids),
        cadre_ids=ids,
    )


def export_record(placements, *, user=None, who: str = "", where: str) -> AccessRecord:
    """Log an export of the roster of `placements` (names, phones, ID numbers)."""
    cadre_ids = placements.order_by().values_list("cadre_id", flat=True).distinct()
    return access_record(
        user=user, who=who, kind=AccessRecord.Kind.EXPORT, where=where, cadre_ids=cadre_ids
    )


def full_id_record(request, cadre_ids) -> AccessRecord:
    """Log that the user of `request` was shown these cadres' ID numbers in full."""
    return access_record(
        user=request.user,
        kind=AccessRecord.Kind.FULL_ID_NUMBER,
        where=request.get_full_path(),
        cadre_ids=cadre_ids,
    )
