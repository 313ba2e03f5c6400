"""Pieces of the OpenAPI schema that django-ninja does not write from the type hints."""

from __future__ import annotations


def download(media_type: str, description: str) -> dict:
    """``openapi_extra`` for an operation whose 200 is a file, not JSON: its media type and a binary body."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": description, "content": content}}}
