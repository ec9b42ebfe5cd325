"""The one folder swap: a folder built beside its target and renamed into place, old or new, never a mix.

Every folder of results goes through `swap_folder`: a report folder and a series partition (through
`replace_folder_atomically`, which builds, swaps and repairs what an interrupted run left), and a store
entry (`mrio_tools.series.store.Store.save`, which keeps an identical entry another worker swapped in
first). Temporary siblings are named ``.mrio-KIND-TAG-PID-XXXX`` (KIND ``new``: being built, ``ready``:
complete, ``old``: the folder being replaced); `recover_folder` removes only leftovers of processes
that are no longer running (or of this one), so two processes never delete each other's work.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from mrio_tools.errors import OutputError
from mrio_tools.io.failures import TEMP_PREFIX, output_error


def process_alive(pid: int) -> bool:
    """Whether a process `pid` runs on this machine (True when it exists but belongs to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _tag(target: Path) -> str:
    # short, fixed-length sibling names: any legal folder name stays legal
    return hashlib.sha1(target.name.encode()).hexdigest()[:8]


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f"{TEMP_PREFIX}{kind}-{_tag(target)}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _siblings(target: Path, kind: str) -> Iterator[Path]:
    if not target.parent.is_dir():
        return iter(())
    return iter(sorted(target.parent.glob(f"{TEMP_PREFIX}{kind}-{_tag(target)}-*")))


def _owner_gone(leftover: Path) -> bool:
    """True when the process that made `leftover` has ended (or is this one): its leftovers are ours."""
    parts = leftover.name.split("-")
    pid = int(parts[3]) if len(parts) > 4 and parts[3].isdigit() else -1
    return pid == os.getpid() or not process_alive(pid)


def recover_folder(target: Path) -> None:
    """Repair what an interrupted swap left beside `target`.

    If `target` is missing, a completely built new folder (``ready``) is moved in, else the old folder
    (``old``) is moved back; every other leftover of a process that no longer runs is deleted.
    """
    try:
        if not target.exists():
            ready = sorted(_siblings(target, "ready"), key=lambda p: p.stat().st_mtime)
            old = list(_siblings(target, "old"))
            if ready:
                os.replace(ready[-1], target)
            elif old:
                os.replace(old[-1], target)
        for kind in ("new", "ready", "old"):
            for leftover in _siblings(target, kind):
                if _owner_gone(leftover):
                    shutil.rmtree(leftover)
    except OSError as error:
        raise output_error(
            target, error, action="cannot clean the leftovers of an interrupted run"
        ) from error


def swap_folder(built: Path, target: Path, *, keep_existing: bool = False) -> bool:
    """Move the complete folder `built` (beside `target`) to `target`; the old `target` is removed.

    Three renames: `built` -> ``ready`` (marks it complete), old `target` -> ``old``, ``ready`` ->
    `target`; then ``old`` is deleted. A process killed in between leaves the old folder or the new
    one (or, between the last two renames, none, which `recover_folder` repairs). With
    `keep_existing`, an existing `target` (an identical entry another process finished first) is kept
    and `built` removed; returns whether `built` went in.
    """
    ready = _sibling(target, "ready")
    os.replace(built, ready)
    old = None
    if target.exists():
        if keep_existing:
            shutil.rmtree(ready, ignore_errors=True)
            return False
        old = _sibling(target, "old")
        os.replace(target, old)
    try:
        os.replace(ready, target)
    except OSError:
        if keep_existing and target.is_dir():
            shutil.rmtree(ready, ignore_errors=True)
            return False
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return True


def replace_folder_atomically(build: Callable[[Path], None], target: Path) -> Path:
    """Build a folder with `build(tmp)` beside `target`, then swap it in for the old one (`swap_folder`).

    Steps: repair leftovers of an interrupted earlier run (`recover_folder`); build into a sibling
    ``.mrio-new-*``; swap it in. A run killed at any point leaves `target` as the old folder or the
    new one, never a mix of the two. An error in `build` leaves the old folder untouched and removes
    the half-built one; an operating-system error (disk full, read-only folder) becomes `OutputError`
    naming `target`.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file, not a folder. Fix: give a folder path")
    recover_folder(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        new = Path(
            tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}new-{_tag(target)}-{os.getpid()}-", dir=target.parent)
        )
    except OSError as error:
        raise output_error(target, error) from error
    try:
        build(new)
        os.chmod(new, 0o755)
        swap_folder(new, target)
    except BaseException as error:
        shutil.rmtree(new, ignore_errors=True)  # a half-built folder; a complete one is moved in below
        with contextlib.suppress(OutputError):
            recover_folder(target)
        if isinstance(error, OSError):
            raise output_error(target, error) from error
        raise
    recover_folder(target)  # deletes what an earlier interrupted run of this process left
    return target
