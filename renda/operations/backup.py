"""Encrypted backups and their restore (manage.py backup / restore).

An archive holds the database (PostgreSQL: pg_dump's custom format, taken in an exported snapshot;
SQLite: its online backup API, consistent while the site runs), the media files, and manifest.json:
SHA-256 and size of every file, and for every table its row count and a SHA-256 of its rows (read in
the same snapshot as the dump), so a restore proves itself row for row.

The tar.gz is encrypted with SM4-GCM under RENDA_BACKUP_KEY (32 hex characters, kept apart from the
field keys and from the backups), in 1 MiB chunks: file = MAGIC ‖ 8-byte random prefix, then per chunk
4-byte length ‖ ciphertext ‖ tag. Each chunk's nonce is prefix ‖ its number, and its associated data
says whether it is the last, so chunks cannot be reordered, dropped or cut off unnoticed.

Personal data inside stays encrypted under the field key: a restore without RENDA_FIELD_KEY gives
back every row but no ID number or phone. Keep the three keys (field, index, backup) in a separate
place from the archives.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import connection
from django.utils import timezone

from renda.core.crypto import parse_key
from renda.core.errors import DomainError

MAGIC = b"RENDABK1"
CHUNK = 1024 * 1024
_TAG = 16
FORMAT = 1


class BackupError(DomainError):
    pass


def backup_key() -> bytes:
    raw = getattr(settings, "RENDA_BACKUP_KEY", "")
    if not raw:
        raise BackupError("未设置备份密钥 RENDA_BACKUP_KEY（32位十六进制），不能生成或恢复备份", field="key")
    return parse_key(raw, "RENDA_BACKUP_KEY")


# --- the encrypted container ---


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def encrypt_stream(source, target, key: bytes) -> None:
    """Copy `source` (binary file) to `target` encrypted, chunk by chunk (memory: one chunk)."""
    prefix = os.urandom(8)
    target.write(MAGIC + prefix)
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(_nonce(prefix, number))).encryptor()
        encryptor.authenticate_additional_data(MAGIC + struct.pack(">I?", number, last))
        body = encryptor.update(chunk) + encryptor.finalize() + encryptor.tag
        target.write(struct.pack(">I", len(body)) + body)
        if last:
            return
        chunk, number = following, number + 1


def decrypt_stream(source, target, key: bytes) -> None:
    """The reverse of encrypt_stream; BackupError if the key is wrong or the file was altered or cut."""
    head = source.read(len(MAGIC) + 8)
    if len(head) != len(MAGIC) + 8 or not head.startswith(MAGIC):
        raise BackupError("这不是人大履职通的备份文件（文件头不符）", field="archive")
    prefix, number = head[len(MAGIC) :], 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) != 4:
            raise BackupError("备份文件不完整（被截断），无法恢复", field="archive")
        (size,) = struct.unpack(">I", size_bytes)
        body = source.read(size)
        if len(body) != size or size < _TAG:
            raise BackupError("备份文件不完整（被截断），无法恢复", field="archive")
        last = None
        for flag in (False, True):
            decryptor = Cipher(
                algorithms.SM4(key), modes.GCM(_nonce(prefix, number), body[-_TAG:])
            ).decryptor()
            decryptor.authenticate_additional_data(MAGIC + struct.pack(">I?", number, flag))
            try:
                plain = decryptor.update(body[:-_TAG]) + decryptor.finalize()
            except InvalidTag:  # not this flag: try the other, then give up
                continue
            last = flag
            break
        if last is None:
            raise BackupError("备份密钥不正确，或备份文件已被改动，无法解密", field="archive")
        target.write(plain)
        if last:
            if source.read(1):
                raise BackupError("备份文件末尾有多余内容，可能已被改动", field="archive")
            return
        number += 1


# --- checksums ---


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _value(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def table_digests(cursor, tables: list[str], quote) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": …}} over every row, ordered by every column (stable on both
    databases). `cursor` is a plain DB-API cursor (sqlite3 or psycopg), not Django's."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")  # noqa: S608  (names from introspection)
        width = len(cursor.description)
        order = ", ".join(str(n) for n in range(1, width + 1))
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
        digest, rows = hashlib.sha256(), 0
        for batch in iter(lambda: cursor.fetchmany(1000), []):
            for values in batch:
                digest.update(("\x1f".join(_value(v) for v in values) + "\n").encode())
                rows += 1
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    return [r[0] for r in rows]


def _pg_dsn(db: dict) -> str:
    """A libpq connection string from Django's database settings."""
    parts = {
        "dbname": db.get("NAME") or "",
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
    }
    return " ".join(f"{k}='{v}'" for k, v in parts.items() if v)


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [r[0] for r in cursor.fetchall()]


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- backup ---


def _media_files(media_root: Path) -> Iterator[Path]:
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _dump_database(work: Path) -> tuple[str, dict]:
    """Write the database into `work`; returns (file name, table digests of that very state)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = work / "db.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # the online backup API: a consistent copy while in use
            digests = table_digests(copy.cursor(), sqlite_tables(copy), _sqlite_quote)
        finally:
            copy.close()
        return target.name, digests
    if connection.vendor == "postgresql":
        import psycopg

        target = work / "db.pgdump"
        with psycopg.connect(_pg_dsn(db)) as conn:
            # One snapshot for the dump and for the checksums: they describe the same state.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            try:
                subprocess.run(  # noqa: S603
                    [
                        shutil.which("pg_dump") or "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={target}",
                        db["NAME"],
                    ],
                    env=_pg_env(db),
                    check=True,
                    capture_output=True,
                )
            except FileNotFoundError as exc:
                raise BackupError("找不到 pg_dump：请安装 postgresql-client（apt-get 安装）") from exc
            except subprocess.CalledProcessError as exc:
                raise BackupError(f"pg_dump 失败：{exc.stderr.decode(errors='replace')[:300]}") from exc
            with conn.cursor() as cursor:
                digests = table_digests(cursor, pg_tables(cursor), _pg_quote)
            conn.rollback()
        return target.name, digests
    raise BackupError(f"不支持备份 {connection.vendor} 数据库")


def backup_create(*, output_dir: Path, media_root: Path | None = None, report=lambda line: None) -> Path:
    """Write one encrypted archive into `output_dir` (mode 0600) and return its path."""
    key = backup_key()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output_dir / f"renda-{stamp}.rbk"
    with tempfile.TemporaryDirectory(prefix="renda-backup-") as tmp:
        work = Path(tmp) / "content"
        work.mkdir(mode=0o700)
        report("正在导出数据库")
        db_name, digests = _dump_database(work)
        files = {db_name: {"size": (work / db_name).stat().st_size, "sha256": sha256_file(work / db_name)}}
        media = list(_media_files(media_root))
        report(f"正在收集 {len(media)} 个媒体文件")
        for path in media:
            files["media/" + path.relative_to(media_root).as_posix()] = {
                "size": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database_file": db_name,
            "files": files,
            "tables": digests,
        }
        archive = Path(tmp) / "archive.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(work / db_name, arcname=db_name)
            for path in media:
                tar.add(path, arcname="media/" + path.relative_to(media_root).as_posix())
        report("正在加密")
        partial = final.with_suffix(".rbk.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(archive, "rb") as source, os.fdopen(fd, "wb") as target:
            encrypt_stream(source, target, key)
        partial.replace(final)
    return final


# --- restore ---


def _safe_extract(archive: Path, into: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(into, filter="data")


def _target_sqlite(database_url: str | None) -> Path | None:
    url = database_url or ""
    if url.startswith("sqlite:///"):
        return Path(urllib.parse.unquote(url[len("sqlite:///") :]))
    return None


def _restore_sqlite(dump: Path, target: Path) -> dict:
    if target.exists() and target.stat().st_size:
        with sqlite3.connect(target) as conn:
            if sqlite_tables(conn):
                raise BackupError(f"目标数据库 {target} 不是空的：只能恢复到空数据库", field="database")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
        return table_digests(dest.cursor(), sqlite_tables(dest), _sqlite_quote)
    finally:
        source.close()
        dest.close()


def _restore_postgres(dump: Path, database_url: str) -> dict:
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(database_url)
    with psycopg.connect(_pg_dsn(db)) as conn, conn.cursor() as cursor:
        if pg_tables(cursor):
            raise BackupError(f"目标数据库 {db['NAME']} 不是空的：只能恢复到空数据库", field="database")
    try:
        subprocess.run(  # noqa: S603
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(dump),
            ],
            env=_pg_env(db),
            check=True,
            capture_output=True,
        )
    except FileNotFoundError as exc:
        raise BackupError("找不到 pg_restore：请安装 postgresql-client") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"pg_restore 失败：{exc.stderr.decode(errors='replace')[:300]}") from exc
    with psycopg.connect(_pg_dsn(db)) as conn, conn.cursor() as cursor:
        return table_digests(cursor, pg_tables(cursor), _pg_quote)


def backup_restore(*, archive: Path, database_url: str, media_root: Path, report=lambda line: None) -> dict:
    """Restore `archive` into the EMPTY database at `database_url` and into `media_root`.

    Checks every file against the manifest before touching anything, refuses a database that has
    tables and media files that would be overwritten, and after the restore compares every table's
    row count and row checksum with the manifest. Returns the manifest; BackupError on any mismatch.
    """
    key = backup_key()
    with tempfile.TemporaryDirectory(prefix="renda-restore-") as tmp:
        tmp_path = Path(tmp)
        plain = tmp_path / "archive.tar.gz"
        report("正在解密并校验")
        with open(archive, "rb") as source, open(plain, "wb") as target:
            decrypt_stream(source, target, key)
        content = tmp_path / "content"
        _safe_extract(plain, content)
        manifest = json.loads((content / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("备份格式版本不符，无法恢复", field="archive")
        for name, expected in manifest["files"].items():
            path = content / name
            if not path.is_file() or sha256_file(path) != expected["sha256"]:
                raise BackupError(f"备份中的文件 {name} 校验和不符，已停止恢复", field="archive")
        media = [name for name in manifest["files"] if name.startswith("media/")]
        clash = [name for name in media if (media_root / name[6:]).exists()]
        if clash:
            raise BackupError(f"媒体目录中已有同名文件（如 {clash[0][6:]}），请恢复到空目录", field="media")
        dump = content / manifest["database_file"]
        report("正在恢复数据库")
        sqlite_target = _target_sqlite(database_url)
        if manifest["vendor"] == "sqlite":
            if sqlite_target is None:
                raise BackupError(
                    "这是 SQLite 的备份，只能恢复到 SQLite 数据库（sqlite:///路径）", field="database"
                )
            restored = _restore_sqlite(dump, sqlite_target)
        elif manifest["vendor"] == "postgresql":
            if not database_url.startswith(("postgres://", "postgresql://")):
                raise BackupError("这是 PostgreSQL 的备份，只能恢复到 PostgreSQL 数据库", field="database")
            restored = _restore_postgres(dump, database_url)
        else:
            raise BackupError(f"不支持的数据库类型：{manifest['vendor']}")
        report("正在恢复媒体文件")
        for name in manifest["files"]:
            if name.startswith("media/"):
                destination = media_root / name[6:]
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(content / name, destination)
        if restored != manifest["tables"]:
            expected = manifest["tables"]
            wrong = sorted(t for t in set(restored) | set(expected) if restored.get(t) != expected.get(t))
            raise BackupError(f"恢复后的数据与备份清单不一致：{', '.join(wrong[:5])}", field="database")
    return manifest
