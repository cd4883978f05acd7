"""Writing files whole: readers see the old file or the complete new one, never half."""
import contextlib
import os
import stat

try:
    import fcntl
except ImportError:   # Windows: no advisory locks, so two saves of one path at once may clash
    fcntl = None

TEMPORARY_SUFFIX = ".partial"


@contextlib.contextmanager
def atomic_open(path):
    """Open a file for binary writing that replaces `path` whole when the block ends
    without error; on any error `path` is left as it was.

    The bytes go to `<file>.partial` beside the file `path` names (through any symlink:
    the link stays, the file it points to is replaced), are flushed to disk, get the old
    file's permission bits, and are renamed over it. The temporary's name is fixed, so a
    process killed mid-write leaves one per target at most, which the next save reuses;
    a lock on it makes two saves of one path take turns. A folder that takes no new files
    (but whose file can be written) gets the file written in place, as torch.save does."""
    path = os.fspath(path)
    target = os.path.realpath(path)
    try:
        temporary = _open_locked(target + TEMPORARY_SUFFIX)
    except OSError:
        with open(path, "wb") as f:
            yield f
        return
    with temporary as f:
        try:
            _keep_mode(target, f)
            yield f
            f.flush()
            os.fsync(f.fileno())
            os.replace(f.name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(f.name)
            raise


def _open_locked(name):
    """`name` opened for writing (created if missing), emptied, under an exclusive lock.

    A save killed mid-write left its file unlocked: it is reused. A live save holds the
    lock: wait for it. Once that save has renamed the file over its target, the file we
    waited on is the target, no longer `name`: then open `name` again."""
    while True:
        f = open(name, "wb", opener=_open_for_writing)   # (no O_TRUNC: it may be in use)
        try:
            if fcntl is not None:
                with contextlib.suppress(OSError):   # a file system without locks: go on
                    fcntl.flock(f, fcntl.LOCK_EX)
            with contextlib.suppress(FileNotFoundError):
                if os.path.samestat(os.fstat(f.fileno()), os.stat(name)):
                    f.truncate(0)
                    return f
        except BaseException:
            f.close()
            raise
        f.close()


def _open_for_writing(name, flags):
    """os.open without truncating, and never through a symlink planted at `name`."""
    return os.open(name, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)


def _keep_mode(target, f):
    """Give the new file the permission bits (and, where allowed, the owner) of the one it
    replaces, as writing in place would keep them: a 0600 checkpoint stays private."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    if hasattr(os, "fchown"):   # POSIX; Windows files have no owner and mode to keep
        with contextlib.suppress(OSError):   # only root may give a file to someone else
            os.fchown(f.fileno(), old.st_uid, old.st_gid)
        os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
