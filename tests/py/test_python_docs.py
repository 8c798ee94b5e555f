"""docs/python.md's walk-through, run: every ```python block, in order, in
one namespace (a notebook), from a scratch folder."""
import re

import pytest


def test_walkthrough_runs(root, tmp_path, monkeypatch, capsys, wfsim):
    text = (root / "docs/python.md").read_text()
    # the ensemble's build runs the `wfsim` command (on a user's PATH)
    monkeypatch.setenv("WFSIM_BIN", str(wfsim))
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "walkthrough"}
    for i, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"docs/python.md block {i}", "exec"), namespace)
        except Exception:
            pytest.fail(f"docs/python.md block {i} failed:\n{code}")
    printed = capsys.readouterr().out
    # the error examples printed what they caught
    assert "workforce.termination_rte" in printed
    assert "level_id" in printed
