"""How tests/golden/wiod2013_{2000,2008}_residual_category.csv were made (issue 11: results unchanged).

Run from the project root with the code of commit 82f712f (before the series engine) on the path:

    git worktree add /tmp/oldtree 82f712f
    .venv/bin/python tests/golden/make_wiod_golden.py /tmp/oldtree ../shared/data

It writes the PBA, CBA, EEE, EEI and export-intensity rows of WIOD 2013 + JRC CO2 (kt) as that code
computed them; its only output-gap treatment was `residual_category`. Never regenerate these files
with the code under test to make a test pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    old_tree, data = Path(sys.argv[1]), Path(sys.argv[2])
    sys.path.insert(0, str(old_tree))
    import mrio_tools
    from mrio_tools.accounts.national import national_accounts
    from mrio_tools.sources.registry import SourceRequest, load_mrio

    assert Path(mrio_tools.__file__).is_relative_to(old_tree), mrio_tools.__file__
    request = SourceRequest(source="wiod2013", data=data / "wiod2013", emissions=data / "wiod2016_env")
    kept = ["PBA", "CBA", "EEE", "EEI", "EXPORT_INTENSITY_TOTAL", "EXPORT_INTENSITY_DOMESTIC"]
    for year in (2000, 2008):
        table = national_accounts(load_mrio(request, year)).table
        table = table[table["account"].isin(kept)]
        out = Path(__file__).parent / f"wiod2013_{year}_residual_category.csv"
        table.to_csv(out, index=False, float_format="%.17g")
