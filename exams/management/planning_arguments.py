"""Command-line arguments shared by the planning commands (``schedule``, ``plan_written``)."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(value: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or a usage error that says so."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def add_window_arguments(parser: argparse.ArgumentParser, *, time_limit_type: type = int) -> None:
    """--from and --to (the dates planned), --time-limit in seconds, --seed and --json."""
    parser.add_argument("--from", dest="date_from", required=True, type=iso_date)
    parser.add_argument("--to", dest="date_to", required=True, type=iso_date)
    parser.add_argument("--time-limit", type=time_limit_type, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
