"""Creation records for rows written in bulk.

django-simple-history records a row when it is saved (its signals); bulk_create sends no
signal, so rows written in bulk had no record, and their first edit showed "lead3 修改了" with
nothing to compare with. Whatever writes rows of a history model in bulk (the demo data) calls
`history_baseline` after, and their history starts with 创建 as any other row's does, the
many-to-many fields it tracks (a topic's claimants) included. Roster imports are the exception:
they record what they did in their own RosterImportChange rows.
"""

from collections import defaultdict


def history_baseline(model, objects, *, by=None) -> None:
    """A creation record of each saved object of `model`, by `by` (None: the system)."""
    objects = list(objects)
    records = model.history.bulk_history_create(objects, default_user=by)
    history_model = model.history.model
    for field in getattr(history_model, "_history_m2m_fields", []):
        through = field.remote_field.through
        owner = field.m2m_field_name()  # the through model's key to `model`
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{owner}__in": objects}):
            links[getattr(link, f"{owner}_id")].append(link)
        link_history = getattr(history_model, field.name).model
        link_fields = [f.attname for f in through._meta.concrete_fields]
        link_history.objects.bulk_create(
            link_history(history=record, **{name: getattr(link, name) for name in link_fields})
            for record in records
            for link in links[record.id]
        )
