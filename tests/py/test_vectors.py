"""The test vectors in tests/vectors/ are copies of the model's published
vectors (../shared/vectors beside the clone, when it is there). Every test
reads the copies; this one notices when the published ones are revised.
Only this test needs ../shared, and it is skipped, saying so, without it."""
import os
import pathlib

import pytest

from conftest import ROOT, VECTORS

PUBLISHED = pathlib.Path(os.environ.get("WF_SHARED_DIR", ROOT.parent / "shared")) / "vectors"


def files_under(top):
    return sorted(p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file())


def test_copies_hold_what_the_tests_read():
    names = files_under(VECTORS)
    for needed in ["rng.csv", "workforce_needs.csv", "golden/census.csv", "golden/alt_config.yaml",
                   "golden/default/events.csv", "golden/default/snapshot.csv",
                   "golden/default/summary.json", "golden/alt/events.csv",
                   "golden/alt/snapshot.csv", "golden/alt/summary.json"]:
        assert needed in names, f"tests/vectors/{needed} is missing"


def test_copies_equal_the_published_vectors():
    if not PUBLISHED.is_dir():
        pytest.skip(f"{PUBLISHED} is absent: the copies in tests/vectors cannot be "
                    "compared with the published vectors here")
    published, copies = files_under(PUBLISHED), files_under(VECTORS)
    assert published == copies, (f"only published: {sorted(set(published) - set(copies))}, "
                                 f"only copied: {sorted(set(copies) - set(published))}")
    differ = [n for n in published if (PUBLISHED / n).read_bytes() != (VECTORS / n).read_bytes()]
    assert not differ, f"tests/vectors differs from {PUBLISHED} in {differ}: copy them again"
