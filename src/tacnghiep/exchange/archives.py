"""ZIP-wrapped attachments: some producers send each file inside a ZIP; some peers expect that.

Unwrapping reads an untrusted archive, so it has the upload limits of archives
(entries, unpacked size, compression ratio) and keeps only plain file names.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tacnghiep.core import uploads


class ArchiveRefused(Exception):
    """The archive cannot be unpacked safely; the message says why in Vietnamese."""


def unwrap(path: Path, folder: Path) -> list[tuple[str, Path]]:
    """The files inside the ZIP at ``path``, written to ``folder``: (name, path) in archive order."""
    try:
        archive = zipfile.ZipFile(path)
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(_("The file is a damaged or unsupported archive.")) from exc
    if len(entries) > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
        raise ArchiveRefused(_("The archive has too many files."))
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    worst = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES or (
        unpacked > uploads.CHUNK and max(worst, unpacked / packed) > settings.UPLOAD_MAX_COMPRESSION_RATIO
    ):
        raise ArchiveRefused(_("The archive would unpack to an unreasonable size (a compression bomb)."))
    found: list[tuple[str, Path]] = []
    with archive:
        for index, entry in enumerate(entries):
            # Only the last part of the name: no folders, no "..", nothing outside ``folder``.
            name = uploads.safe_name(entry.filename.replace("\\", "/").rsplit("/", 1)[-1])
            target = folder / f"unzipped-{index}"
            written = 0
            with archive.open(entry) as source, target.open("wb") as out:
                while chunk := source.read(uploads.CHUNK):
                    written += len(chunk)
                    if written > entry.file_size or written > settings.UPLOAD_MAX_UNPACKED_BYTES:
                        raise ArchiveRefused(
                            _("The archive would unpack to an unreasonable size (a compression bomb).")
                        )
                    out.write(chunk)
            found.append((name, target))
    return found


def wrap(path: Path, name: str, target: Path) -> Path:
    """``path`` as the only file of a new ZIP at ``target`` (for peers that expect ZIP-wrapped files)."""
    entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with (
        zipfile.ZipFile(target, "w") as archive,
        path.open("rb") as source,
        archive.open(entry, "w") as out,
    ):
        shutil.copyfileobj(source, out)
    return target
