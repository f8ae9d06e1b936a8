import pytest
from django.core.exceptions import ValidationError


def validation_errors(obj) -> dict[str, list[str]]:
    """The messages by field with which `obj.full_clean()` refuses `obj` (fails if it does not)."""
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def body(response) -> bytes:
    """A response's bytes, streamed (exports, downloads) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
