"""What the first write to freshly allocated memory costs on this machine, each trial its own process.

    .venv/bin/python benchmarks/bench_fresh_memory.py --gb 0.77 --trials 6 --pause 4

Every reader that builds a dense n x n block pays this once per block (Z of the 49 x 200 table is
0.77 GB). On bare metal it is the kernel zeroing pages, about 0.1-0.3 s per GB. On a virtual machine
whose guest returns free memory to its host (free page reporting, `/sys/module/page_reporting`), memory
freed for more than about 2 s must be handed back by the host on its next first touch, which costs far
more, and more still when the allocation asks for transparent huge pages (numpy does for arrays of 4 MB
and more), because the guest then takes exactly the 2 MB blocks that it reported.

Each trial runs in a new process after `--pause` seconds of rest, and times: numpy's own allocation
(``np.empty``, huge pages advised) filled once, a second fill of it (the pages now present), and an
anonymous mapping without the huge-page advice (``mmap``, 4 kB pages) filled once. The last line is
one JSON object with the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TRIAL = """
import time, numpy as np
n = int({bytes} // 8)
start = time.perf_counter(); a = np.empty(n); a[:] = 1.0; numpy_first = time.perf_counter() - start
start = time.perf_counter(); a[:] = 2.0; numpy_second = time.perf_counter() - start
del a
print(numpy_first, numpy_second)
"""
TRIAL_SMALL_PAGES = """
import mmap, time, numpy as np
n = int({bytes} // 8)
start = time.perf_counter()
b = np.frombuffer(mmap.mmap(-1, n * 8), dtype=np.float64); b[:] = 1.0
print(time.perf_counter() - start)
"""


def trial(code: str) -> list[float]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [float(v) for v in done.stdout.split()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=0.77, help="size of the block (10^9 bytes)")
    parser.add_argument("--trials", type=int, default=6)
    parser.add_argument("--pause", type=float, default=4.0, help="seconds of rest before each trial")
    args = parser.parse_args(argv)
    size = args.gb * 1e9
    huge_first, huge_second, small_first = [], [], []
    for _ in range(args.trials):
        time.sleep(args.pause)
        first, second = trial(TRIAL.format(bytes=size))
        huge_first.append(first)
        huge_second.append(second)
        time.sleep(args.pause)
        small_first.append(trial(TRIAL_SMALL_PAGES.format(bytes=size))[0])
    reporting = Path("/sys/module/page_reporting/parameters/page_reporting_order")
    result = {
        "gb": args.gb,
        "pause_s": args.pause,
        "trials": args.trials,
        "numpy_first_touch_s": [round(v, 3) for v in huge_first],
        "numpy_second_touch_s": [round(v, 3) for v in huge_second],
        "small_pages_first_touch_s": [round(v, 3) for v in small_first],
        "median_numpy_first_s": round(statistics.median(huge_first), 3),
        "median_numpy_second_s": round(statistics.median(huge_second), 3),
        "median_small_pages_first_s": round(statistics.median(small_first), 3),
        "free_page_reporting_order": reporting.read_text().strip() if reporting.exists() else None,
        "transparent_hugepage": Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().strip(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
