"""Roster imports (POST a file, as `manage.py import_roster` imports one): the same service
(rosters.importing.import_roster), the same JSON (ImportResult.as_json, what `import_roster
--json` prints), all rows or none. Who may: those who may import on the pages
(importing.IMPORT_PERMISSIONS: staff; a team lead, or staff without 可查看完整身份证号, gets 403).
A file is refused before it is read as the upload page refuses it (type, size); a large one
(ROSTER_BACKGROUND_ROWS) goes to the background queue as the page's does (rosters/uploads.py):
202 and the URL of its status, whose GET gives the JSON once finished.
"""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from cohorts.models import Batch
from placements.models import RosterImport, RosterUpload
from rosters import importing, uploads
from spreadsheets import uploads as spreadsheet_uploads

from .base import ScopedViewSet

CAN_IMPORT = importing.IMPORT_PERMISSIONS  # those who may import a roster on the pages
SOURCE = RosterImport.Source.API  # the import history says it came through the API


class RosterImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="名单文件：CSV（UTF-8 或 GBK）、XLSX 或 XLS")
    batch = serializers.CharField(
        required=False, allow_blank=True, help_text="批次代码，如 SZ-3；文件没有“批次”列时填写"
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="true：只检查，不写入"
    )

    def validate_file(self, upload):
        try:
            return spreadsheet_uploads.checked_upload(upload)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_batch(self, code):
        if not code:
            return None
        user = self.context["request"].user
        found = Batch.objects.visible_to(user).by_code(code.strip()).first()
        if found is None:
            raise serializers.ValidationError(_("There is no batch %(batch)s.") % {"batch": code})
        return found


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="表格中的行号")
    column = serializers.CharField(help_text="列名（文件的表头）")
    message = serializers.CharField()
    sheet = serializers.CharField(required=False, help_text="工作表（有多张时）")


class RosterImportResultSerializer(serializers.Serializer):
    """For the documentation: ImportResult.as_json, the same as `import_roster --json`."""

    new = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ProblemSerializer(many=True)
    dry_run = serializers.BooleanField()


class RosterImportStatusSerializer(serializers.ModelSerializer):
    """A large import's status (rosters/uploads.py); `result` once finished."""

    url = serializers.SerializerMethodField()
    batch = serializers.CharField(source="batch.code", read_only=True, allow_null=True)
    dry_run = serializers.SerializerMethodField(help_text="只检查（未确认导入）")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    finished = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField(
        help_text="完成后：与 import_roster --json 相同的结果；未完成或意外中止时为空"
    )

    class Meta:
        model = RosterUpload
        fields = ["id", "url", "file_name", "batch", "dry_run", "state", "state_label", "finished",
                  "progress", "failure", "result", "created_at", "finished_at"]  # fmt: skip

    def get_url(self, upload) -> str:
        return reverse("api-roster-import-detail", args=[upload.pk])

    def get_dry_run(self, upload) -> bool:
        return upload.confirmed_at is None

    def get_finished(self, upload) -> bool:
        return upload.state not in uploads.RUNNING

    def get_progress(self, upload) -> dict:
        found = uploads.upload_progress(upload)
        return {key: found[key] for key in ("phase", "done", "total", "text", "stalled")}

    @extend_schema_field(RosterImportResultSerializer(allow_null=True))
    def get_result(self, upload):
        return None if upload.state in uploads.RUNNING else uploads.result_json(upload)


class RosterImportViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    """名单导入：与 manage.py import_roster 相同（全部写入或一行不写），结果 JSON 与
    import_roster --json 相同。较大的文件在后台导入：答 202 与状态网址，查询至完成。"""

    serializer_class = RosterImportStatusSerializer
    required_permissions = {"GET": CAN_IMPORT, "POST": CAN_IMPORT}

    def scoped(self, user):
        """The user's own imports of the last day (the uploads' lifetime), not the pages'
        small previews."""
        return (
            RosterUpload.objects.filter(user_id=user.pk)
            .filter(created_at__gte=timezone.now() - uploads.LIFETIME)
            .exclude(state=RosterUpload.State.INLINE)
            .defer("data")
            .select_related("batch")
        )

    @extend_schema(
        request={"multipart/form-data": RosterImportRequestSerializer},
        responses={
            200: RosterImportResultSerializer,
            202: RosterImportStatusSerializer,
            400: OpenApiResponse(
                RosterImportResultSerializer,
                description="文件有错误，未写入（errors 列出每个错误）；或请求字段有误",
            ),
        },
    )
    def create(self, request):
        form = RosterImportRequestSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        upload, batch = form.validated_data["file"], form.validated_data.get("batch")
        dry_run = form.validated_data["dry_run"]
        data = upload.read()
        rows = spreadsheet_uploads.data_rows(data)
        if spreadsheet_uploads.in_background(rows):
            kept = uploads.upload_start(
                user=request.user, data=data, file_name=upload.name, batch=batch, rows=rows,
                confirmed=not dry_run,
            )  # fmt: skip
            kept = self.scoped(request.user).get(pk=kept.pk)  # as it is now (inline: done)
            answer = self.get_serializer(kept).data
            return Response(answer, status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]})
        # The same limits as the upload page's: a token is no way around them.
        result = importing.import_roster(
            data, upload.name, batch=batch, user=request.user, dry_run=dry_run, source=SOURCE,
            max_rows=settings.ROSTER_UPLOAD_MAX_ROWS,
        )  # fmt: skip
        if not result.ok and dry_run:  # the page keeps a refused preview in the history too
            importing.record_refusal(result, request.user, SOURCE)
        answer = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response(result.as_json(), status=answer)


def register(router):
    router.register("roster-imports", RosterImportViewSet, basename="api-roster-import")
