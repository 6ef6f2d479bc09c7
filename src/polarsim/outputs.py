"""Every file and folder polarsim writes goes through this module.

The policy (docs/reliability.md):

* A file is written whole or not at all: into a hidden temporary sibling first, flushed
  to disk, then renamed over its name (`write_file`) or linked to it only if the name is
  still free (`publish_once`, the first of several writers wins).
* A file that exists is never replaced unless the caller says ``force=True`` (the
  command line's ``--force``), and a folder is never deleted or emptied unless polarsim
  created it: such a folder carries a marker file, `.polarsim-output`, naming the files
  polarsim put there and the kind of output (`OwnedFolder`); rebuilding it replaces
  those files and no others. ``--force`` replaces a whole output folder only if it is
  of the kind being written and holds nothing the marker does not list.
* An output folder is written whole: `new_output_dir` fills a hidden temporary sibling
  and renames it into place at the end, so an interruption leaves no half-filled folder.
* Failures of the file system (no permission, a file where a folder should be, a full
  disk) become a `PolarsimInputError` naming the path, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from polarsim.errors import PolarsimInputError

__all__ = [
    "MARKER",
    "OwnedFolder",
    "check_new_files",
    "check_output_dir",
    "confine",
    "describe_os_error",
    "is_polarsim_folder",
    "marker_text",
    "new_output_dir",
    "publish_once",
    "replace_file",
    "timestamped",
    "write_file",
    "write_files",
    "write_text",
]

#: Name of the marker file in every folder polarsim creates.
MARKER = ".polarsim-output"

#: Kinds of folder that `new_output_dir` writes whole, and so may replace whole.
WHOLE_FOLDER_KINDS = frozenset({"run", "compare", "hindcast", "skill", "forecast"})

#: How many of the files polarsim did not write a refusal names.
LISTED_FOREIGN = 3

#: A temporary file polarsim left behind when killed mid-write (`_tmp_name`).
_LEFTOVER = re.compile(r"^\..+\.\d+-[0-9a-f]{8}\.tmp$")

Writer = Callable[[Path], None]


def timestamped(name: str, root: Path = Path("runs")) -> Path:
    """A new folder name under `root`: `name-YYYYmmdd-HHMMSS` (with `-2`, `-3` if taken)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = root / f"{name}-{stamp}"
    n = 1
    while out.exists():
        n += 1
        out = root / f"{name}-{stamp}-{n}"
    return out


def describe_os_error(exc: OSError, path: str | Path | None = None, action: str = "write") -> str:
    """One line for a failed file operation: the path, the action (``cannot write``) and
    what went wrong in words."""
    where = path if path is not None else (exc.filename or "")
    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EFBIG: "file too large for the file system",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "is a folder, not a file",
        errno.EEXIST: "already exists",
        errno.ENOENT: "no such file or folder",
        errno.ENAMETOOLONG: "name too long",
    }.get(exc.errno or -1, exc.strerror or str(exc) or type(exc).__name__)
    return f"{where}: cannot {action}: {reason}" if where else f"cannot {action}: {reason}"


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where a folder is needed
        raise PolarsimInputError(
            "a file stands where a folder is needed", field=str(folder)
        ) from exc
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, folder)) from exc


def _tmp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _write_tmp(path: Path, write: Writer | bytes | str) -> Path:
    """Write to a fresh temporary sibling of `path` and sync it; return its name."""
    _mkdir(path.parent)
    tmp = _tmp_name(path)
    try:
        if callable(write):
            write(tmp)
        else:
            data = write.encode("utf-8") if isinstance(write, str) else write
            # 0o666 honours the umask, unlike tempfile's private 0o600 files.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        with contextlib.suppress(OSError):  # some file systems cannot fsync a path
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise PolarsimInputError(describe_os_error(exc, path)) from exc
        raise
    return tmp


def check_new_files(paths: Iterable[str | Path], *, force: bool = False) -> None:
    """Refuse (before anything is written) if any of `paths` exists, unless `force`.

    A folder in `paths` is never replaced by a file, even with `force`."""
    for p in map(Path, paths):
        if p.is_dir():
            raise PolarsimInputError("is a folder; choose another name", field=str(p))
        if not force and (p.exists() or p.is_symlink()):
            raise PolarsimInputError(
                "exists; polarsim does not replace files unless you pass --force",
                field=str(p),
            )


def write_file(path: str | Path, write: Writer | bytes | str, *, force: bool = False) -> Path:
    """Write `path` whole: `write` is the content (bytes or text, UTF-8) or a function
    that writes a given temporary path. An existing file is replaced only with `force`."""
    path = Path(path)
    check_new_files([path], force=force)
    tmp = _write_tmp(path, write)
    try:
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)  # fails if the name was taken meanwhile: nothing replaced
    except FileExistsError as exc:
        raise PolarsimInputError(
            "exists; polarsim does not replace files unless you pass --force", field=str(path)
        ) from exc
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, path)) from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()
    return path


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """`write_file` for text."""
    return write_file(path, text, force=force)


def publish_once(path: str | Path, write: Writer | bytes | str) -> bool:
    """Create `path` with `write` unless it already exists, atomically: the first of
    several concurrent writers wins (a hard link, which also works on NFS). True if this
    call created it."""
    path = Path(path)
    if path.exists():
        return False
    tmp = _write_tmp(path, write)
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, path)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def replace_file(path: str | Path, write: Writer | bytes | str) -> Path:
    """Replace (or create) a file that polarsim owns, whole: its bookkeeping inside a
    folder it created (a manifest, a session record). Never for a user-named path."""
    path = Path(path)
    tmp = _write_tmp(path, write)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise PolarsimInputError(describe_os_error(exc, path)) from exc
    return path


# ------------------------------------------------- files a user may rebuild


def _owner(path: Path) -> tuple[Path, str] | None:
    """The polarsim folder that holds `path` (the nearest parent carrying the marker) and
    the name of `path` inside it. The search stops at a hidden folder: polarsim's
    temporary folders are hidden, and a file being staged there belongs to no one yet."""
    path = Path(os.path.abspath(path))
    for folder in path.parents:
        if _marker_data(folder) is not None:
            return folder, path.relative_to(folder).as_posix()
        if folder.name.startswith("."):
            return None
    return None


#: errno values of a file system that has no hard links (some network and FUSE mounts).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if `path` is still free. A hard link does it
    atomically; where the file system has none, a check and a rename (which leaves a
    moment in which another writer could slip in)."""
    try:
        os.link(tmp, path)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(tmp), None, str(path)) from exc
        os.rename(tmp, path)


def _listed(path: Path) -> bool:
    """True if polarsim wrote `path` into a folder it created (the marker lists it)."""
    owner = _owner(path)
    if owner is None:
        return False
    data = _marker_data(owner[0]) or {}
    return owner[1] in set(data.get("files", []))


def _register(paths: Iterable[Path]) -> None:
    """Add files polarsim has just written to the marker of the polarsim folder holding
    them, so that a rebuild may replace them."""
    by_folder: dict[Path, set[str]] = {}
    for p in paths:
        owner = _owner(p)
        if owner is not None:
            by_folder.setdefault(owner[0], set()).add(owner[1])
    for folder, names in by_folder.items():
        data = _marker_data(folder) or {}
        files = set(data.get("files", []))
        if not names <= files:
            text = marker_text(data.get("kind", "output"), files | names)
            replace_file(folder / MARKER, text)


def write_files(
    files: Mapping[str | Path, Writer | bytes | str], *, force: bool = False
) -> list[Path]:
    """Write files that belong together (a figure's formats and its numbers, a table as
    CSV, Markdown and LaTeX), each whole, and either all or none.

    Every file is first written to a temporary sibling. Then, before any is put in
    place, each name that exists is checked: it is left alone if it already holds the
    same bytes; it is replaced if `force` is set or if polarsim wrote it into a folder
    it created (that folder's marker lists it); otherwise the call is refused and
    nothing is written. A folder is never replaced by a file. Files written inside a
    polarsim folder are added to its marker."""
    targets = [Path(p) for p in files]
    check_new_files(targets, force=True)  # folders are refused even with force
    tmps: dict[Path, Path] = {}
    try:
        for path, write in zip(targets, files.values(), strict=True):
            tmps[path] = _write_tmp(path, write)
        plan: dict[Path, str] = {}
        for path, tmp in tmps.items():
            if not (path.exists() or path.is_symlink()):
                plan[path] = "new"
            elif path.is_file() and not path.is_symlink() and filecmp.cmp(tmp, path, False):
                plan[path] = "same"
            elif force or _listed(path):
                plan[path] = "replace"
            else:
                raise PolarsimInputError(
                    "exists and is not listed as polarsim's in a folder polarsim made, so it "
                    "is left alone: polarsim replaces without --force only what its own "
                    "folders list (pass --force to replace it, or choose another --out)",
                    field=str(path),
                )
        for path, tmp in tmps.items():
            if plan[path] == "new":
                _link_new(tmp, path)
            elif plan[path] == "replace":
                os.replace(tmp, path)
    except FileExistsError as exc:
        raise PolarsimInputError(
            "was created by another command while this one ran; run again",
            field=str(exc.filename2 or exc.filename or ""),
        ) from exc
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, exc.filename)) from exc
    finally:
        for tmp in tmps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
    _register(p for p in targets if plan[p] != "same")
    return targets


def confine(path: str | Path, *, file: str | Path, field: str, also: Sequence[Path] = ()) -> Path:
    """`path`, named inside `file` (a study or experiment file), if it lies inside the
    working directory, the folder of `file` or one of the folders `also` (the scenario
    library that ships with the package, for its own files); otherwise a
    PolarsimInputError naming the file and the field. A file received from someone else
    must not read or write anywhere on the disk; paths given on the command line are not
    confined."""
    p = Path(path)
    real = Path(os.path.realpath(p))
    roots = [Path(os.path.realpath(Path.cwd())), Path(os.path.realpath(Path(file).parent))]
    roots += [Path(os.path.realpath(a)) for a in also]
    if not any(real == r or r in real.parents for r in roots):
        raise PolarsimInputError(
            f"{p} lies outside the working directory and the folder of this file; "
            "a path in a file must stay inside them (give it on the command line instead)",
            file=str(file),
            field=field,
        )
    return p


# ----------------------------------------------------------------- folders


def _marker_data(folder: Path) -> dict | None:
    """The marker's content if `folder` was created by polarsim, else None."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("created_by") == "polarsim" else None


def read_marker(folder: str | Path) -> dict | None:
    """The marker of `folder` (kind, files) if polarsim created it, else None."""
    return _marker_data(Path(folder))


def is_polarsim_folder(folder: str | Path) -> bool:
    """True if `folder` carries polarsim's marker."""
    return _marker_data(Path(folder)) is not None


def marker_text(kind: str, files: Iterable[str] = ()) -> str:
    """The marker file's content for a folder of `kind` holding `files`."""
    return (
        json.dumps({"created_by": "polarsim", "kind": kind, "files": sorted(set(files))}, indent=2)
        + "\n"
    )


def _file_in_path(path: Path) -> Path | None:
    """The first existing part of `path`'s parents that is a file (so `path` cannot be
    made), or None."""
    for parent in reversed(Path(os.path.abspath(path)).parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _kind_refusal(folder: Path, found: object, kind: str, choose: str) -> PolarsimInputError:
    """The refusal of a polarsim folder of another kind (a sweep where a run goes)."""
    return PolarsimInputError(
        f"holds a polarsim {found} output, not a {kind}; choose another {choose}",
        field=str(folder),
    )


def _held_kind(folder: Path, data: Mapping) -> object:
    """The kind of output the polarsim folder `folder` (marker `data`) holds: the
    marker's `kind`, except in a folder an older polarsim wrote.

    Comparison folders were marked `run` until `compare` got a kind of its own, and
    hindcast folders until `hindcast` did; such a marker is still on users' disks. For a
    `run` marker the folder's manifest.json tells what it holds (a comparison's says
    `"created_by": "polarsim compare"`, a hindcast's has a `hindcast` entry), so that
    `compare --force` over a comparison polarsim wrote before replaces it (refusing it
    as "a polarsim run output, not a compare" would puzzle a user who gave the same
    command twice), while `run --force` still refuses to replace a comparison. A folder
    whose manifest is missing or says neither stays a run.
    """
    found = data.get("kind")
    if found != "run":
        return found
    try:
        man = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return found
    if not isinstance(man, dict):
        return found
    if man.get("created_by") == "polarsim compare":
        return "compare"
    if "hindcast" in man:
        return "hindcast"
    return found


def _foreign(folder: Path, data: Mapping) -> list[str]:
    """What inside `folder` its marker `data` does not list: files by their path inside
    it, a folder holding nothing listed as `NAME/`. Polarsim's own leftovers of a killed
    write (`.NAME.PID-<8 hex digits>.tmp`) and the folders on the way to a listed file
    are not counted; a symbolic link counts as a file (it is never followed)."""
    listed = {str(f) for f in data.get("files", [])}
    parents = {p.as_posix() for f in listed for p in Path(f).parents}
    found: list[str] = []

    def walk(here: Path, rel: str) -> None:
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            raise PolarsimInputError(describe_os_error(exc, here, "read")) from exc
        for e in entries:
            name = f"{rel}{e.name}"
            if e.is_dir(follow_symlinks=False):
                if name in parents:
                    walk(Path(e.path), name + "/")
                else:
                    found.append(name + "/")
            elif name not in listed and name != MARKER and not _LEFTOVER.match(e.name):
                found.append(name)

    walk(folder, "")
    return found


def _check_replaceable(
    folder: Path, data: Mapping, kind: str | None, shown: Path | None = None
) -> None:
    """Refuse to replace the polarsim folder `folder` (marker `data`) whole if it is of
    another kind than `kind` (None: of a kind no whole-folder output is) or holds files
    polarsim did not write. Messages name the folder `shown` (default `folder`)."""
    shown = folder if shown is None else shown
    found = _held_kind(folder, data)
    if kind is not None and found is not None and found != kind:
        raise _kind_refusal(shown, found, kind, "--out")
    if kind is None and found is not None and found not in WHOLE_FOLDER_KINDS:
        raise PolarsimInputError(
            f"holds a polarsim {found} output, not the kind this command writes; "
            "choose another --out",
            field=str(shown),
        )
    foreign = _foreign(folder, data)
    if foreign:
        named = ", ".join(foreign[:LISTED_FOREIGN])
        if len(foreign) > LISTED_FOREIGN:
            named += f" and {len(foreign) - LISTED_FOREIGN} more"
        raise PolarsimInputError(
            f"holds files polarsim did not write ({named}); move them or choose another --out",
            field=str(shown),
        )


def check_output_dir(out: str | Path, *, force: bool = False, kind: str | None = None) -> bool:
    """Refuse (before anything runs) an output folder that `new_output_dir` would refuse:
    a file, a file in its path, a non-empty folder without `force`, or, with `force`, a
    non-empty folder that polarsim did not write, that holds a polarsim output of another
    kind than `kind` (None: a kind that is never written whole, such as a sweep or a
    study) or that holds files its marker does not list. True if `out` is a polarsim
    folder `force` will replace.
    """
    out = Path(out)
    blocker = _file_in_path(out)
    if blocker is not None:
        raise PolarsimInputError(
            f"{blocker} is a file, so the folder cannot be made; choose another --out",
            field=str(out),
        )
    if not (out.exists() or out.is_symlink()):
        return False
    if not out.is_dir() or out.is_symlink():
        raise PolarsimInputError("exists and is not a folder; choose a new --out", field=str(out))
    try:
        empty = not any(out.iterdir())
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, out)) from exc
    if empty:
        return False
    if not force:
        raise PolarsimInputError(
            "exists and is not empty; choose a new --out folder "
            "(or --force to replace a folder polarsim wrote)",
            field=str(out),
        )
    data = _marker_data(out)
    if data is None:
        raise PolarsimInputError(
            "exists and was not written by polarsim; it is never replaced, "
            "even with --force: choose a new --out folder",
            field=str(out),
        )
    _check_replaceable(out, data, kind)
    return True


@contextmanager
def new_output_dir(out: str | Path, *, kind: str = "run", force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to fill; on success it is renamed to `out`.

    `out` must not exist or be an empty folder. With `force`, a folder that polarsim
    created (it carries the marker) is replaced whole if its marker's kind is `kind` and
    it holds nothing the marker does not list; any other folder is never replaced. On
    any error the temporary folder is removed and `out` is untouched.
    """
    out = Path(out)
    old = out if check_output_dir(out, force=force, kind=kind) else None
    _mkdir(out.parent)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir()
    except OSError as exc:
        raise PolarsimInputError(describe_os_error(exc, out)) from exc
    try:
        yield tmp
        files = [p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()]
        (tmp / MARKER).write_text(marker_text(kind, files), encoding="utf-8")
        if old is not None:
            trash = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(out, trash)
            try:  # a file put there while this command ran is not polarsim's either
                _check_replaceable(trash, _marker_data(trash) or {}, kind, out)
            except BaseException:
                os.rename(trash, out)
                raise
            os.rename(tmp, out)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            try:
                if out.exists():
                    out.rmdir()  # empty (checked above); fails if filled meanwhile
                os.rename(tmp, out)
            except OSError as exc:
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    raise PolarsimInputError(
                        "was filled by another command while this one ran; "
                        "nothing was written: choose a new --out folder",
                        field=str(out),
                    ) from exc
                raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PolarsimInputError(describe_os_error(exc, out)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class OwnedFolder:
    """A folder that polarsim fills and may rebuild in place (a study's output).

    Opening it creates the folder with its marker, or checks that an existing folder is
    empty or carries the marker. `write` replaces a file only if the marker lists it (it
    was written by polarsim before) or `force` is set; files the user put there are never
    touched. `close` records every file written in the marker."""

    def __init__(self, folder: str | Path, *, kind: str, force: bool = False):
        self.folder = Path(folder)
        self.kind = kind
        self.force = force
        data = self.check_folder(self.folder)
        if data is not None and data.get("kind", kind) != kind:
            raise _kind_refusal(self.folder, data.get("kind"), kind, "folder")
        self.previous: set[str] = set(data.get("files", [])) if data else set()
        self.written: set[str] = set()
        self.discarded: set[str] = set()
        _mkdir(self.folder)
        replace_file(self.folder / MARKER, marker_text(kind, self.previous))

    @staticmethod
    def check_folder(folder: str | Path) -> dict | None:
        """Refuse a folder that cannot be opened (a file, or a folder of the user's that
        is not empty), without creating anything; the marker's content if polarsim
        wrote it."""
        folder = Path(folder)
        blocker = _file_in_path(folder)
        if blocker is not None:
            raise PolarsimInputError(
                f"{blocker} is a file, so the folder cannot be made", field=str(folder)
            )
        data = _marker_data(folder)
        if data is None and (folder.exists() or folder.is_symlink()):
            if not folder.is_dir():
                raise PolarsimInputError("exists and is not a folder", field=str(folder))
            try:
                filled = any(folder.iterdir())
            except OSError as exc:
                raise PolarsimInputError(describe_os_error(exc, folder)) from exc
            if filled:
                raise PolarsimInputError(
                    "exists and was not written by polarsim; choose a new or empty folder "
                    "(polarsim never writes into a folder of yours)",
                    field=str(folder),
                )
        return data

    def check(self, rels: Iterable[str | Path]) -> None:
        """Refuse, before anything is written, if any of `rels` exists and may not be
        replaced (polarsim did not write it and `force` is not set)."""
        for rel in rels:
            path = self.folder / rel
            if path.is_dir():
                raise PolarsimInputError("is a folder; it is left alone", field=str(path))
            if (path.exists() or path.is_symlink()) and not self.may_replace(rel):
                raise PolarsimInputError(
                    "exists and was not written by polarsim; it is left alone "
                    "(move it away, or pass --force to replace it)",
                    field=str(path),
                )

    def discard(self, rel: str | Path) -> None:
        """Remove a file that polarsim wrote here before (the marker lists it) and that a
        rebuild no longer makes; any other file is left alone."""
        rel_posix = Path(rel).as_posix()
        if rel_posix not in self.previous | self.written:
            return
        with contextlib.suppress(FileNotFoundError):
            (self.folder / rel).unlink()
        self.previous.discard(rel_posix)
        self.written.discard(rel_posix)
        self.discarded.add(rel_posix)
        self.save()

    def path(self, rel: str | Path) -> Path:
        return self.folder / rel

    def may_replace(self, rel: str | Path) -> bool:
        rel = Path(rel).as_posix()
        return self.force or rel in self.previous or rel in self.written

    def write(self, rel: str | Path, write: Writer | bytes | str) -> Path:
        """Write `folder/rel` whole; refuse to replace a file polarsim did not write."""
        rel_posix = Path(rel).as_posix()
        path = self.folder / rel
        if path.exists() and not self.may_replace(rel_posix):
            raise PolarsimInputError(
                "exists and was not written by polarsim; it is left alone "
                "(move it away, or pass --force to replace it)",
                field=str(path),
            )
        replace_file(path, write)
        self.written.add(rel_posix)
        self.discarded.discard(rel_posix)
        self.save()
        return path

    def save(self) -> None:
        """Record the files written in the marker, keeping the names other writers
        (write_files) added to it meanwhile."""
        on_disk = set((_marker_data(self.folder) or {}).get("files", []))
        files = (on_disk - self.discarded) | self.previous | self.written
        replace_file(self.folder / MARKER, marker_text(self.kind, files))
