"""The pip lock and the conda environment pin the same versions; the config schema says what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from the PyPI names in requirements.lock
CONDA_TO_PYPI = {
    "pandera-base": "pandera",
    "matplotlib-base": "matplotlib",
    "seaborn-base": "seaborn",
    "snakemake-minimal": "snakemake",
}


def lock_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def conda_versions() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "=" in item:
            name, version = item.split("=", 1)
            pins[CONDA_TO_PYPI.get(name, name)] = version
        elif isinstance(item, dict):  # the pip section: packages pip installs into the environment
            for line in item.get("pip", []):
                name, version = line.split("==")
                pins[name] = version
    return pins


def test_every_conda_pin_matches_the_lock():
    lock, conda = lock_versions(), conda_versions()
    assert conda.pop("python") == "3.11"
    assert conda, "environment.yml pins nothing"
    mismatched = {name: (version, lock.get(name)) for name, version in conda.items() if lock.get(name) != version}
    assert not mismatched, f"environment.yml and requirements.lock disagree: {mismatched}"


def test_the_lock_pins_every_package_exactly():
    text = (ROOT / "requirements.lock").read_text().splitlines()
    entries = [line for line in text if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", e) for e in entries)
    lock = lock_versions()
    major, minor = (int(x) for x in lock["statsmodels"].split(".")[:2])
    assert (major, minor) >= (0, 15), "Sison-Glaz intervals need statsmodels 0.15 or newer"


def test_the_lock_covers_the_declared_dependencies():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~ ]", d)[0].lower() for d in declared}
    assert names <= set(lock_versions()), names - set(lock_versions())


def config():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def test_shipped_config_is_valid():
    validate(config(), SCHEMA)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"estimat": {}}, "'estimat' was unexpected"),
        ({"estimate": {"interval_method": "wilsom", "simultaneous_method": "goodman", "conf_level": 0.95}}, "'wilsom' is not one of"),
        ({"estimate": {"interval_method": "wilson", "simultaneous_method": "goodman", "conf_level": 95}}, "95"),
        ({"languages": ["sv", "de"]}, "'de' is not one of"),
        ({"waves": ["../2018"]}, "does not match"),
        ({"release": "a/b"}, "does not match"),
    ],
)
def test_wrong_config_is_named(change, words):
    with pytest.raises(WorkflowError, match=re.escape(words)):
        validate({**config(), **change}, SCHEMA)
