"""The scheduling tests need no Django, but ``tests/conftest.py`` reads Django settings while collecting.
When run with ``-p no:django`` nothing sets ``DJANGO_SETTINGS_MODULE`` from pytest.ini, so default it here;
nothing in these tests touches a database."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
