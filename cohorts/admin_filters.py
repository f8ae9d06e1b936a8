"""The admin's sidebar filter by batch, for any list with a relation to batches (placements,
roster imports, the ledger's records, message deliveries): an archive holds thousands of
batches, and a sidebar of them all is neither readable nor quick to render (2,000 links cost a
roster-import list about 50 ms of CPU)."""

from django.contrib import admin
from django.db.models import F, Q

from .models import Batch
from .text import whole_number


class LatestBatchesFilter(admin.RelatedFieldListFilter):
    """The batches of the programme chosen in the sidebar (`<relation>__programme__id__exact`),
    else the latest LATEST_BATCHES, and the batch chosen in any case; only batches the user may
    see (`visible_to`)."""

    LATEST_BATCHES = 50

    def field_choices(self, field, request, model_admin):
        batches = Batch.objects.visible_to(request.user)
        programme = request.GET.get(f"{self.field_path}__programme__id__exact", "")
        if whole_number(programme) is not None:
            batches = batches.filter(programme_id=programme)
        else:
            chosen = [v for v in (self.lookup_val or []) if whole_number(v) is not None]
            latest = batches.order_by(F("start_date").desc(nulls_last=True), "-pk")
            batches = batches.filter(
                Q(pk__in=latest.values("pk")[: self.LATEST_BATCHES]) | Q(pk__in=chosen)
            )
        return [(b.pk, str(b)) for b in batches]
