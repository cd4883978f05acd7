"""Writing files whole: readers see the old file or the complete new one, never half."""
import contextlib
import os
import secrets


@contextlib.contextmanager
def atomic_open(path):
    """Open a temporary file beside `path` for binary writing; when the block ends without
    error, flush it to disk and rename it over `path`; on any error, delete it."""
    path = os.fspath(path)
    temporary = f"{path}.tmp-{secrets.token_hex(4)}"
    try:
        with open(temporary, "xb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
