"""Writes to placements through the API: one placement's change, guarded by its version
(`ETag`/`If-Match`), and the bulk status change. Both go through placements/services.py, as the
pages do; what is checked here is only what the request says (its header, its fields).

A change needs `If-Match: "<version>"`, the `ETag` of the placement as read: without it (or with
`*`, which would overwrite whatever is stored) it is refused with 428; a version that is no longer
the stored one gives 412, nothing saved, and says who changed what meanwhile (`changes_since`).
The fields a user may change are the pages': a team lead the lead page's
(placements.services.LEAD_EDITABLE_FIELDS), staff the admin's change form's, but the cadre and
the batch (a placement does not move to another person or batch here).
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.settings import api_settings

from placements.models import BULK_STATUS_SOURCES, HostUnit, Placement, PlacementStatus
from placements.services import LEAD_EDITABLE_FIELDS

# The admin's change form (adminsite/placements.py), but the cadre and the batch.
STAFF_EDITABLE_FIELDS = [
    "status",
    "home_unit",
    "position",
    "rank",
    "rank_tier",
    "category",
    "district",
    *LEAD_EDITABLE_FIELDS,
]
STAFF_EDITABLE_FIELDS = list(dict.fromkeys(STAFF_EDITABLE_FIELDS))
MAX_BULK_IDS = 10_000


def etag(placement: Placement) -> str:
    """The strong entity tag of a placement as stored: its version, quoted."""
    return f'"{placement.version}"'


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = gettext_lazy(
        'A change needs the header If-Match: "<version>", the ETag of the placement as you read '
        "it (If-Match: * is not accepted), so that it does not overwrite someone else's change."
    )
    default_code = "precondition_required"


_TAG = re.compile(r'"(\d{1,9})"')


def if_match_versions(request) -> list[int]:
    """The versions If-Match names. Missing or `*`: 428; not a list of quoted versions (a weak
    tag, W/"3", never matches: this ETag is strong): 400 naming the header."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    versions = []
    for tag in (t.strip() for t in header.split(",")):
        if tag == "*":
            raise PreconditionRequired()
        found = _TAG.fullmatch(tag)
        if found is None:
            raise ValidationError({"If-Match": [_('Send the ETag as read, e.g. If-Match: "3".')]})
        versions.append(int(found[1]))
    return versions


class PlacementChangeSerializer(serializers.ModelSerializer):
    """The fields of a change, each checked as the form checks it; the model's own rules (the
    dates inside the batch's term, no overlap, the rank's tier) are `check_model`'s."""

    host_unit = serializers.PrimaryKeyRelatedField(
        queryset=HostUnit.objects.all(), allow_null=True, required=False,
        help_text="实训单位编号（见 /api/v1/host-units/）；null 表示尚未安排",
    )  # fmt: skip

    class Meta:
        model = Placement
        fields = STAFF_EDITABLE_FIELDS

    def __init__(self, *args, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = STAFF_EDITABLE_FIELDS if editable is None else editable

    def validate(self, attrs):
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        refused = {
            name: [_("You cannot change this field here.")]
            for name in sent
            if name not in self.editable
        }
        if refused:
            raise ValidationError(refused)
        if not attrs:
            raise ValidationError(_("Nothing to change: send the fields to change."))
        return attrs

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            # Named as the request's, not a field's: a bare message here breaks REST framework.
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("Send a JSON object of the fields to change.")
                    ]
                }
            )
        return super().to_internal_value(data)


def apply_change(placement: Placement, changes: dict, editable: list[str]) -> None:
    """Put the changes on the placement and check it as its form does (the model's full_clean
    over the fields the user may change); a refusal is a 400 naming the field."""
    for name, value in changes.items():
        setattr(placement, name, value)
    left_out = [f.name for f in Placement._meta.concrete_fields if f.name not in editable]
    try:
        placement.full_clean(exclude=left_out)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            fields = {
                "non_field_errors" if name == NON_FIELD_ERRORS else name: messages
                for name, messages in error.message_dict.items()
            }
            raise ValidationError(fields) from None
        raise ValidationError(error.messages) from None


class BulkStatusSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=MAX_BULK_IDS,
        help_text="要改状态的实训安排编号",
    )
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in BULK_STATUS_SOURCES],
        help_text="新状态：只能沿“待报到 → 已远程报到 → 已到岗 → 已结业”向前；"
        "待报到与已退出须逐条修改",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="为 true 时只预览：说明会改几条、留下几条及原因，不作修改"
    )


class LeftSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatusCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class BulkStatusResultSerializer(serializers.Serializer):
    status = StatusCodeSerializer()
    dry_run = serializers.BooleanField()
    changed = serializers.IntegerField(help_text="改了（预览时：将改）几条")
    left = serializers.IntegerField(help_text="留下未改几条")
    left_by_status = LeftSerializer(many=True, help_text="留下的，按其现在的状态")
    detail = serializers.CharField(help_text="一句话：改了几条，留下几条及原因")


def bulk_result(result, *, dry_run: bool) -> dict:
    """What a bulk status change did (or, `dry_run`, would do), as the page says it."""
    return {
        "status": {"code": result.status, "label": str(PlacementStatus(result.status).label)},
        "dry_run": dry_run,
        "changed": result.changed,
        "left": result.left_count,
        "left_by_status": [
            {"status": s, "label": str(PlacementStatus(s).label), "count": n}
            for s, n in sorted(result.left.items())
        ],
        "detail": result.question() if dry_run else result.message(),
    }


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="label")
    before = serializers.CharField()
    after = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change, as the history pages show it (ID numbers masked, always)."""

    when = serializers.DateTimeField()
    who = serializers.CharField()
    what = serializers.CharField()
    version = serializers.IntegerField(allow_null=True, help_text="这次修改后的版本（导入不记）")
    changes = ChangeSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="现存的版本（即新的 ETag）")
    changes_since = HistoryEntrySerializer(many=True)


def conflict_body(conflict) -> dict:
    """The 412's answer: who changed what after the version sent, and the stored version."""
    stored = conflict.stored
    entries = conflict.entries
    who = "；".join(entry.summary() for entry in entries) or _(
        "who made the change and when was not recorded"
    )
    detail = _(
        "This placement was changed after version %(sent)s, the one in If-Match: %(who)s. "
        'Nothing was saved. Read it again (its ETag is now "%(version)s") and send your change '
        "again if it still stands."
    ) % {"sent": conflict.expected_version, "who": who, "version": stored.version}
    return {
        "detail": detail,
        "version": stored.version,
        "changes_since": HistoryEntrySerializer(entries, many=True).data,
    }
