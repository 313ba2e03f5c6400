"""The admin site's labels in the reader's language.

Django derives a field's label from its name (``starts_at``: "starts at") and a model's from its class
(``ExamSession``: "exam session", plural "exam sessions") as plain English strings, so a Dutch page of the
admin site would name every model and field in English. Rather than spell out ``verbose_name=_("...")`` on
some three hundred fields, ``ExamsConfig.ready()`` calls :func:`translate_derived_labels` once, when every
model is loaded, which makes every derived label of this project's apps a lazy translation of itself; a
label given in the code stays as given. The Dutch is in the catalogue (``portal/locale/nl``, "Labels Django
derives from the code"), and ``tests/portal/test_admin_labels.py`` fails for a label without it.

Migrations do not see this: they read the ``verbose_name`` given in the code, which stays unset.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as translated  # not `_`: these are not for makemessages


def project_apps() -> list[AppConfig]:
    """The installed apps whose code is this project's (not a package from elsewhere)."""
    return [config for config in apps.get_app_configs()
            if Path(config.path) == Path(settings.BASE_DIR).joinpath(*config.name.split("."))]


def translate_derived_labels() -> None:
    """Make the derived labels of the project's models (model names, plurals, field names) translatable."""
    for config in project_apps():
        for model in config.get_models():
            opts = model._meta
            with translation.override(None):  # the English the code gives or Django derives
                singular = str(opts.verbose_name)
            if "verbose_name" not in opts.original_attrs:
                opts.verbose_name = translated(singular)
            if "verbose_name_plural" not in opts.original_attrs:
                opts.verbose_name_plural = translated(f"{singular}s")
            for field in [*opts.local_fields, *opts.local_many_to_many]:
                if field._verbose_name is None:  # Django derived it from the field's name
                    field.verbose_name = translated(field.verbose_name)
