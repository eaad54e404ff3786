"""Where the tests find the real documents beside the repository, and their own fixtures.

../shared (seeds, realworld) sits beside a working copy, not in it: a clean clone has none, so
the tests that merely need a document of some layout read tests/fixtures, and only the tests
about those real files need ../shared. `LLAMA_READER_TEST_SHARED=DIR` points at another copy of
it, or at a missing folder to run the suite as a clean clone would.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_ENV = "LLAMA_READER_TEST_SHARED"

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get(SHARED_ENV) or REPO.parent / "shared").expanduser()
SEEDS = SHARED / "seeds"
REALWORLD = SHARED / "realworld"

FIXTURES = REPO / "tests" / "fixtures"
LAYOUTS = FIXTURES / "layouts"  # one original document in each layout the seeds show
PAIRS = FIXTURES / "pairs"  # original translations kept in separate files
SAMPLE_LIBRARY = REPO / "corpus" / "sample_library"
