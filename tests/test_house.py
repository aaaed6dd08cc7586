"""The shape of the code base that the README promises a newcomer: every model in the admin,
no module too long to read in one sitting. (The import layers are checked by lint-imports, in
`make test`, against the contracts in pyproject.toml.)"""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400


def test_every_model_of_every_conflictmap_app_is_in_the_admin():
    for config in apps.get_app_configs():
        if config.name.startswith("conflictmap."):
            for model in config.get_models():
                assert admin.site.is_registered(model), model


@pytest.mark.parametrize("folder", ["conflictmap", "frontend/js", "bench", "tests"])
def test_no_module_is_over_400_lines(folder):
    modules = [*ROOT.joinpath(folder).rglob("*.py"), *ROOT.joinpath(folder).rglob("*.js")]
    assert modules
    too_long = {str(path.relative_to(ROOT)): lines for path in modules
                if (lines := len(path.read_text().splitlines())) > MAX_LINES}  # fmt: skip
    assert not too_long, f"Split these by what they hold: {too_long}"
