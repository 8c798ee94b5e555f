"""Shared fixtures for the Python tests: where the repo, the build and the
shared vectors are. WFSIM_BUILD names the build directory (default: build),
WF_SHARED_DIR the shared folder (default: ../shared)."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("WFSIM_BUILD", "build")
SHARED = pathlib.Path(os.environ.get("WF_SHARED_DIR", ROOT.parent / "shared")).resolve()


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
