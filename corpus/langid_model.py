"""py3langid's model, kept decompressed in the user cache.

The model ships as an xz-compressed npz (4.6 MB); decompressing and reading it takes about half a
second, paid by every process that meets a document in an alphabet other than English's: a
`llama-reader index` after one edit spent half its time there. The first process therefore keeps
the model's arrays as plain `.npy` files in the cache (68 MB), which later processes map in about
40 ms and read only where a text's bytes and features fall. A cache that cannot be
written or read is passed over: the model is then read from its package as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from corpus.userfiles import cache_dir

log = logging.getLogger("llama_reader.corpus")

FOLDER = "langid"
# The npz's arrays (py3langid.modelio): feature table, priors, labels, the tokenizer's distinct
# transition rows, each state's row, each state's output feature.
ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def load() -> Any:
    """The identifier, with probabilities normalised, from the cache when it can."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = Path(MODEL_DIR) / MODEL_FILE
    try:
        st = source.stat()
        home = cache_dir() / FOLDER
        kept = home / f"{st.st_size}-{st.st_mtime_ns}"
        if kept.is_dir():
            try:
                return _from_arrays(kept, LanguageIdentifier)
            except (OSError, ValueError, KeyError, EOFError) as exc:
                log.info("the kept language model is damaged, keeping it again: %s", exc)
                shutil.rmtree(kept, ignore_errors=True)
        _keep(source, home, kept)
        return _from_arrays(kept, LanguageIdentifier)
    except (OSError, ValueError, KeyError, EOFError) as exc:
        log.info("language model read from its package: %s", exc)
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _keep(source: Path, home: Path, kept: Path) -> None:
    """Decompress the model's arrays into `kept` (whole or not at all), dropping older copies."""
    import lzma

    home.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".new-", dir=home))
    try:
        with tempfile.TemporaryFile(dir=home) as npz:
            with lzma.open(source) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in ARRAYS:
                    np.save(work / f"{name}.npy", data[name], allow_pickle=False)
        with contextlib.suppress(FileExistsError):
            os.rename(work, kept)  # else another process kept it first, and its copy stays
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in home.iterdir():
        # Older models' copies; a `.new-` folder only when its process has long stopped.
        if old != kept and (not old.name.startswith(".new-") or _stale(old)):
            shutil.rmtree(old, ignore_errors=True)


def _stale(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > 3600
    except OSError:
        return False


def _from_arrays(kept: Path, identifier: Any) -> Any:
    parts = {n: np.load(kept / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in ARRAYS}
    ptc, pc, classes = parts["ptc"], np.array(parts["pc"]), parts["classes"].tolist()
    rows, outputs = parts["nextmove_row"], parts["out_feat"]
    if ptc.ndim != 2 or not (ptc.shape[1] == len(pc) == len(classes)) or len(rows) != len(outputs):
        raise ValueError(f"the language model kept in {kept} is damaged")
    return identifier(
        ptc,
        pc,
        classes,
        _mapped(parts["nextmove"]),
        _mapped(outputs),
        norm_probs=True,
        tk_row=rows.tolist(),
    )


def _mapped(values: Any) -> Any:
    """A table the tokenizer indexes one item at a time, left in the mapped file: it reads a few
    pages of it per text, and each process that loaded it would otherwise hold a 40 MB copy (the
    index's build runs three)."""
    if values.ndim != 1 or values.dtype.kind not in "iu" or values.dtype.byteorder == ">":
        raise ValueError("the language model kept has a table of another shape")
    code = {("u", 2): "H", ("u", 4): "I", ("i", 4): "i"}[(values.dtype.kind, values.itemsize)]
    raw: Any = memoryview(values).cast("B")
    return raw.cast(code)
