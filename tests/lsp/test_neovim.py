"""One test with a real editor: Neovim (0.7, Debian's) headless, its built-in LSP client running
`raci-lint server` on a fixture, and the diagnostics it shows."""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("RACI_LINT_BIN", str(ROOT / "target" / "debug" / "raci-lint"))


@pytest.mark.skipif(shutil.which("nvim") is None and not os.environ.get("CI"), reason="nvim not installed")
def test_neovim_shows_the_diagnostics(tmp_path):
    demo = ROOT / "fixtures" / "demo"
    shutil.copytree(demo, tmp_path / "demo")
    (tmp_path / "demo" / ".git").mkdir()
    out = tmp_path / "diagnostics.txt"
    env = dict(os.environ, RACI_LINT_BIN=str(pathlib.Path(BIN).resolve()), RACI_LINT_OUT=str(out))
    subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {ROOT / 'tests' / 'lsp' / 'neovim.lua'}",
         "infra/raci.yaml"],
        cwd=tmp_path / "demo", env=env, timeout=60, check=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    lines = out.read_text().splitlines()
    # The demo's one finding: `server-os-patching: ops`, line 30 column 3 (0-based 29:2), an error.
    assert lines == ["29:2 claims-provider-duty 1"]
