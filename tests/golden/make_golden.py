"""Write the golden accounts of every case in cases.py (run from the repository root).

    .venv/bin/python tests/golden/make_golden.py

The committed files were written by `mrio_tools.accounts.national.national_accounts` at commit
82f712fbaa86ae0453a982438ae36a3d908b15cd, before it was split into one function per account over a
`SolvedYear` (issue 11, item 3); tests/test_solved.py checks that the refactored code reproduces them.
Values are written with %.17g (exact round trip of float64). Do not rerun this to make a failing
test pass: a change in these numbers must be explained first.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for systems.py

from golden.cases import CASES, GOLDEN

from mrio_tools.accounts.national import national_accounts


def main() -> None:
    for name, (build, solver) in CASES.items():
        result = national_accounts(build(), solver=solver)  # type: ignore[arg-type]
        result.table.to_csv(GOLDEN / f"{name}.accounts.csv", index=False, float_format="%.17g")
        result.flows.to_csv(GOLDEN / f"{name}.flows.csv", index=False, float_format="%.17g")
        metadata: dict[str, Any] = dict(result.metadata)
        (GOLDEN / f"{name}.meta.json").write_text(json.dumps(metadata, indent=1, default=str) + "\n")
        print(name, len(result.table), len(result.flows))


if __name__ == "__main__":
    main()
