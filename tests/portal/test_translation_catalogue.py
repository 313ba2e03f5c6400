"""Every text the code marks for translation has its Dutch in the catalogues: the portal's pages, the admin
site's labels and help texts, model choices and validation errors, the payments app.

The catalogues are kept by hand (entries for texts the code only names at run time, such as the solver's
rule names, would be dropped as obsolete by a plain ``makemessages``), so this test runs ``makemessages``
on a copy of the code and fails on every text it finds without a translation, or only with a fuzzy guess:
Django shows those in English on a Dutch page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_TRANSLATED = ("tests", "benchmarks", "scheduling")  # tests, measurements, the solver library (no Django)
CATALOGUES = ("portal/locale/nl/LC_MESSAGES/django.po", "exams/payments/locale/nl/LC_MESSAGES/django.po")


def _untranslated(po: Path, root: Path) -> list[str]:
    """The msgids of ``po`` that are untranslated or fuzzy, each with where the code uses it."""
    found = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)], capture_output=True,
                             text=True, check=True).stdout
        for entry in out.split("\n\n"):
            lines = entry.strip().splitlines()
            msgid = next((line for line in lines if line.startswith("msgid ")), 'msgid ""')
            if msgid != 'msgid ""':
                where = " ".join(line[3:] for line in lines if line.startswith("#: "))
                found.append(f"{po.relative_to(root)}: {msgid[6:]} ({where}; {flag[2:]})")
    return found


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgattrib")),
                    reason="needs GNU gettext (Debian package gettext; make test installs it)")
def test_every_text_marked_for_translation_has_its_dutch(tmp_path):
    for path in ROOT.iterdir():
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_TRANSLATED:
            shutil.copytree(path, tmp_path / path.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "makemessages", "--locale", "nl", "--verbosity", "0"],
                   cwd=tmp_path, env=env, check=True)
    found = tmp_path.glob("*/**/locale/nl/LC_MESSAGES/*.po")
    assert sorted(po.relative_to(tmp_path).as_posix() for po in found) == sorted(CATALOGUES)
    missing = [line for po in CATALOGUES for line in _untranslated(tmp_path / po, tmp_path)]
    assert missing == [], "add the Dutch to the catalogue, then msgfmt it:\n" + "\n".join(missing)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs GNU gettext (Debian package gettext)")
@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_the_compiled_catalogue_says_what_the_catalogue_says(catalogue, tmp_path):
    """Django reads the compiled .mo beside each .po: an edit of the .po counts only once msgfmt has run."""
    import gettext

    po = ROOT / catalogue
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    with fresh.open("rb") as compiled, po.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog, (
            f"run: msgfmt --check-format -o {po.with_suffix('.mo').relative_to(ROOT)} {po.relative_to(ROOT)}")
