"""Safety checks for zip-based formats (xlsx, docx) before any library opens them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from jixiao.errors import InputError

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB


def member_names(path: Path, shown: str) -> list[str]:
    """Names of the archive's members after checking it is not truncated, corrupt or a zip bomb."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(shown, f"truncated or corrupt zip container ({exc})") from None
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(shown, f"truncated or corrupt zip container ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(shown, f"zip container has too many members ({len(infos)} > {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            shown, f"zip container too large when uncompressed ({total // 2**20} MB > {MAX_UNCOMPRESSED // 2**20} MB)"
        )
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise InputError(shown, f"suspicious compression ratio in member {i.filename} (zip bomb?)")
    return [i.filename for i in infos]
