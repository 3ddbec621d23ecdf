"""Make sure the PostgreSQL server for the tests answers; start the local cluster if it is down."""

import shutil
import subprocess
import sys
import time

import psycopg


def reachable(url: str) -> str | None:
    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip()
    return None


def main(url: str) -> int:
    error = reachable(url)
    if error and shutil.which("pg_ctlcluster"):
        versions = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()
        for version in versions:
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
            )
        for _ in range(20):
            time.sleep(0.5)
            error = reachable(url)
            if not error:
                break
    if error:
        print(
            f"无法连接 PostgreSQL（{url}）：{error}\n"
            "PostgreSQL 测试需要本机 127.0.0.1:5432 的数据库服务（trust 认证）。"
            "如确需跳过，请设置 RENDA_SKIP_POSTGRES=1。",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
