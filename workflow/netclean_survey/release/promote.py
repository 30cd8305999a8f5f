"""Whole or nothing: the staged release is checked against its manifest and put in place of the
published one in one step.

Every rule of the workflow writes into a staging tree (``results/.staging/{release}/``, the same
layout as the release); rule ``manifest`` lists the staged artifacts with their sha256 there, and rule
``promote``, the last job of a run, calls :func:`promote_release`:

1. every artifact the manifest lists is in the staging tree with the recorded size and sha256
   (a staged file changed after the manifest was written stops the promotion);
2. if the published release already holds exactly these files with these bytes, nothing is written;
3. otherwise the listed files (and nothing else: a file left in the staging tree by an earlier
   configuration is not published) are copied into a new folder next to the staging tree, flushed
   to disk, and that folder takes the place of ``results/{release}/`` in one ``renameat2`` exchange
   (Linux; two renames elsewhere), after which the previous release is removed.

A run that fails before this rule (any job, any check) never reaches it, and a promotion that fails
(disk full, a check) leaves the published release as it was: the release folder holds exactly what
its manifest lists, and only a run that succeeded entirely changes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PromotionError
from .manifest import MANIFEST_NAME, sha256


@dataclass(frozen=True)
class Promotion:
    files: int  # artifacts of the release, its manifest included
    changed: bool  # whether the published release was replaced
    left_in_staging: tuple[str, ...]  # staged files the manifest does not list (not published)


def manifest_paths(manifest: dict, published: str) -> list[str]:
    """The artifacts' paths relative to the release folder (the manifest names them from the project
    root, ``results/{release}/...``)."""
    prefix = published.rstrip("/") + "/"
    paths = []
    for record in manifest["artifacts"]:
        if not record["path"].startswith(prefix):
            raise PromotionError(f"the manifest lists {record['path']!r}, which is not in {published}/")
        paths.append(record["path"][len(prefix):])
    return paths


def check_staged(staged: Path, manifest: dict, published: str) -> list[str]:
    """Every listed artifact is staged with its recorded size and sha256; the relative paths."""
    paths = manifest_paths(manifest, published)
    for relative, record in zip(paths, manifest["artifacts"]):
        path = staged / relative
        if not path.is_file():
            raise PromotionError(f"{path}: listed in the staged manifest but missing; rerun snakemake")
        if path.stat().st_size != record["size"] or sha256(path) != record["sha256"]:
            raise PromotionError(
                f"{path}: its bytes are not those the staged manifest records (it changed after the manifest "
                "was written); rerun snakemake, which rewrites the manifest"
            )
    return paths


def files_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def already_published(release: Path, staged: Path, paths: list[str], manifest: dict) -> bool:
    """The published release holds exactly the staged files, byte for byte."""
    if not release.is_dir() or files_below(release) != set(paths) | {MANIFEST_NAME}:
        return False
    if (release / MANIFEST_NAME).read_bytes() != (staged / MANIFEST_NAME).read_bytes():
        return False
    return all(
        (release / p).stat().st_size == r["size"] and sha256(release / p) == r["sha256"]
        for p, r in zip(paths, manifest["artifacts"])
    )


def release_in_place(staged: str | Path, release: str | Path, published: str | None = None) -> bool:
    """Whether ``release`` holds exactly the staged release its manifest lists, byte for byte (False
    when either is missing or the manifest does not read)."""
    staged, release = Path(staged), Path(release)
    try:
        manifest = json.loads((staged / MANIFEST_NAME).read_text(encoding="utf-8"))
        paths = manifest_paths(manifest, published or release.as_posix())
        return already_published(release, staged, paths, manifest)
    except (OSError, ValueError, KeyError, PromotionError):
        return False


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where the system
    cannot (another OS, an old kernel, a file system without it), True when done."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def put_in_place(incoming: Path, release: Path, previous: Path) -> None:
    """``incoming`` becomes ``release``; the former release ends up in ``previous`` (if there was one)."""
    if not release.exists():
        os.rename(incoming, release)
    elif exchange(incoming, release):
        os.rename(incoming, previous)  # incoming now holds the former release
    else:  # two renames: the release is absent for an instant, never half written
        os.rename(release, previous)
        try:
            os.rename(incoming, release)
        except OSError:
            os.rename(previous, release)
            raise
    _fsync(release.parent)


def promote_release(staged: str | Path, release: str | Path, published: str | None = None) -> Promotion:
    """Publish the staged release (``staged``, with its ``MANIFEST.json``) as ``release``, whole, or
    raise :class:`PromotionError` and leave ``release`` untouched. ``published`` is the release folder
    as the manifest names it (default: ``release`` as given)."""
    staged, release = Path(staged), Path(release)
    published = published or release.as_posix()
    manifest = json.loads((staged / MANIFEST_NAME).read_text(encoding="utf-8"))
    paths = check_staged(staged, manifest, published)
    extra = tuple(sorted(files_below(staged) - set(paths) - {MANIFEST_NAME}))
    if already_published(release, staged, paths, manifest):
        return Promotion(len(paths) + 1, False, extra)
    work = staged.parent
    incoming, previous = work / f"{release.name}.incoming", work / f"{release.name}.previous"
    for leftover in (incoming, previous):  # from a promotion killed half-way
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        for relative in [*paths, MANIFEST_NAME]:
            target = incoming / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged / relative, target)
            _fsync(target)
        check_staged(incoming, manifest, published)  # what was copied is what was checked
        release.parent.mkdir(parents=True, exist_ok=True)
        put_in_place(incoming, release, previous)
    except OSError as error:
        shutil.rmtree(incoming, ignore_errors=True)
        raise PromotionError(
            f"cannot publish the release into {release}: {error.strerror or error} "
            f"({error.filename or incoming}); the published release is unchanged. "
            + ("Free some disk space and rerun snakemake." if error.errno in (errno.ENOSPC, errno.EDQUOT)
               else "Check the folder's permissions and rerun snakemake.")
        ) from None
    shutil.rmtree(previous, ignore_errors=True)
    return Promotion(len(paths) + 1, True, extra)


def write_stamp(manifest: str | Path, stamp: str | Path) -> None:
    """Rule promote's output: the sha256 of the manifest it published (a cache of the staging tree)."""
    Path(stamp).write_text(sha256(manifest) + "\n", encoding="utf-8")
