"""Shared fixtures for the Python tests: where the repo, the build and the
shared vectors are. WFSIM_BUILD names the build directory (default: build),
WF_SHARED_DIR the shared folder (default: ../shared)."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("WFSIM_BUILD", "build")
SHARED = pathlib.Path(os.environ.get("WF_SHARED_DIR", ROOT.parent / "shared")).resolve()


@pytest.fixture(scope="session", autouse=True)
def dbt_parse_cache(tmp_path_factory):
    """dbt's saved parse, shared by the session's `wfsim run`s and ensembles
    (as it is between a user's runs) but kept out of the user's ~/.cache;
    a test may name its own with WFSIM_DBT_CACHE."""
    old = os.environ.get("WFSIM_DBT_CACHE")
    os.environ["WFSIM_DBT_CACHE"] = str(tmp_path_factory.mktemp("dbt_parse_cache"))
    yield
    if old is None:
        del os.environ["WFSIM_DBT_CACHE"]
    else:
        os.environ["WFSIM_DBT_CACHE"] = old


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def build():
    return BUILD


@pytest.fixture(scope="session")
def shared():
    return SHARED


@pytest.fixture(scope="session")
def wfsim():
    """Path of the built wfsim command."""
    path = BUILD / "wfsim"
    assert path.exists(), f"{path} is missing: run make first"
    return str(path)
