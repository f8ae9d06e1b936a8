"""What drf-spectacular needs to describe the API: the Bearer token scheme (loaded in
ApiConfig.ready)."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "security.api_tokens.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人令牌：manage.py api_token 用户名（只显示一次）",
        }


ERROR = {"$ref": "#/components/schemas/Error"}
# Answers any endpoint may give, besides its own: described once, added to every operation.
ERRORS = {
    "400": "请求有误（字段与原因见 fields）",
    "401": "未登录：缺少令牌，或令牌无效、过期、已吊销",
    "403": "无此权限",
    "404": "不存在，或不在您的范围内",
    "429": "请求过于频繁，请稍后再试",
}
ERROR_COMPONENT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "一句话说明，字段错误时列出各字段"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "字段名 → 错误信息",
        },
        "errors": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with the errors every endpoint may answer (api/errors.py)."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                _or_error(responses.get(code))
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
        return operation


def _or_error(response) -> None:
    """An operation's own answer for an error code (the roster import's 400: the file's problems
    in import_roster's JSON) may also be the common Error (a field of the request refused)."""
    for content in (response or {}).get("content", {}).values():
        schema = content.get("schema")
        if schema and schema != ERROR and "anyOf" not in schema:
            content["schema"] = {"anyOf": [schema, ERROR]}


# The documentation's sections, by the path's first word after /api/v1/.
TAGS = {
    "programmes": "项目与批次",
    "batches": "项目与批次",
    "cadres": "干部",
    "host-units": "实训单位",
    "placements": "实训安排",
    "duties": "任务与进度",
    "progress": "任务与进度",
    "topics": "课题与成果",
    "suggestions": "课题与成果",
    "projects": "课题与成果",
    "roster-imports": "名单导入",
}


def with_error_component(result, generator, request, public):
    """drf-spectacular's post-processing hook: the Error schema the responses refer to, and each
    operation in its section of the documentation (TAGS), in the department's words."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    used = set()
    for path, operations in result.get("paths", {}).items():
        word = path.removeprefix("/api/v1/").split("/")[0]
        for operation in operations.values():
            if isinstance(operation, dict) and word in TAGS:
                operation["tags"] = [TAGS[word]]
                used.add(TAGS[word])
    result["tags"] = [{"name": name} for name in dict.fromkeys(TAGS.values()) if name in used]
    return result
