"""What importing and segmenting must not do: load heavy modules early, or write to stderr/tmp."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_importing_the_facade_loads_no_segmenter_and_no_whoosh() -> None:
    r = run(
        "import sys, index.library_index;"
        "print(sorted(m for m in ('jieba', 'rjieba', 'whoosh', 'textual') if m in sys.modules))"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_jieba_is_quiet_and_caches_in_the_users_dir(tmp_path: Path) -> None:
    code = (
        "from index.analysis.segmenter import configure_jieba; configure_jieba();"
        "import jieba; print('/'.join(jieba.lcut('中国人民银行发布了开源模型')))"
    )
    r = run(code, XDG_CACHE_HOME=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no "Building prefix dict…" on the screen Textual draws
    assert "开源" in r.stdout
    cache = tmp_path / "llama-reader" / "jieba"
    assert any(cache.iterdir()), "jieba's dictionary cache belongs in the user's cache dir"
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
