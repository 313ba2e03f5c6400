"""Shared by the benchmarks: the machine and commit they ran on, and rewriting one section of
docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nMeasured figures, each with the command that produced it and the machine it ran on.\n"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, {platform.system()}"


def versions(*packages: str) -> dict[str, str | None]:
    """The installed version of each package (None where it is not installed)."""
    found: dict[str, str | None] = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


def commit(rev: str = "HEAD") -> str:
    """The short hash of ``rev`` ("unknown" outside a git checkout)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def stamp() -> str:
    """Now, as the report writes times: "2026-12-07 14:51 UTC"."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def write_section(name: str, body: str, report: Path = REPORT, footer: str | None = None) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` of ``report`` (by default
    docs/benchmarks.md); append it if absent.  The section ends with when and where it was measured, or
    with ``footer`` (a section drawn from runs recorded elsewhere says so itself)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = report.read_text() if report.exists() else HEADER
    footer = footer or f"_Measured {stamp()} on {machine()}._"
    block = f"{start}\n{body.rstrip()}\n\n{footer}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text)
