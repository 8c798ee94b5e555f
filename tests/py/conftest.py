"""Shared fixtures for the Python tests: where the repo, the build and the
test vectors are. WFSIM_BUILD names the build directory (default: build).
The vectors are the repository's own copies in tests/vectors/ (the model's
keyed draws, workforce needs and worked example); test_vectors.py checks
them against ../shared/vectors when that folder exists."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("WFSIM_BUILD", "build")
VECTORS = ROOT / "tests" / "vectors"


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def build():
    return BUILD


@pytest.fixture(scope="session")
def vectors():
    return VECTORS


@pytest.fixture(scope="session")
def wfsim():
    """Path of the built wfsim command."""
    path = BUILD / "wfsim"
    assert path.exists(), f"{path} is missing: run make first"
    return str(path)
