"""CSV downloads that open in Excel as they are: semicolons and a byte-order mark."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse


def csv_download(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
