"""The documented production start, exercised: migrate, collectstatic, check --deploy, gunicorn on a free
127.0.0.1 port with config.settings.production; the login page and a static file (compressed) must
answer 200; then gunicorn must refuse to start with a field key that does not match the data.

    .venv/bin/python scripts/prod_check.py        (make prod-check; part of make test)

Uses a throwaway SQLite database and static folder under a temporary directory and throwaway keys;
prints one line per step and exits 1 at the first failure. Stops everything it started.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FIELD_KEY = "00112233445566778899aabbccddeeff"


def step(message: str) -> None:
    print(f"[prod-check] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[prod-check] 失败：{message}", file=sys.stderr, flush=True)
    sys.exit(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True)
    if result.returncode:
        fail(f"manage.py {' '.join(args)}\n{result.stdout.decode()}\n{result.stderr.decode()}")


def fetch(url: str) -> tuple[int, dict, bytes]:
    # The TLS proxy in front of gunicorn says the request came over HTTPS (SECURE_PROXY_SSL_HEADER).
    request = urllib.request.Request(  # noqa: S310
        url, headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip", "Host": "127.0.0.1"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def gunicorn(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
    return out.decode(errors="replace")


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="renda-prod-check-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "prod-check-" + os.urandom(24).hex(),
            "RENDA_FIELD_KEY": FIELD_KEY,
            "RENDA_INDEX_KEY": "ffeeddccbbaa99887766554433221100",
            "DATABASE_URL": f"sqlite:///{tmp}/renda.sqlite3",
            "STATIC_ROOT": f"{tmp}/static",
            "MEDIA_ROOT": f"{tmp}/media",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONWARNINGS": "ignore",
        }
        step("migrate")
        run(["migrate", "--noinput", "-v", "0"], env)
        step("collectstatic（WhiteNoise 压缩并加哈希）")
        run(["collectstatic", "--noinput", "-v", "0"], env)
        step("check --deploy")
        run(["check", "--deploy", "--fail-level", "WARNING"], env)
        port = free_port()
        step(f"gunicorn 127.0.0.1:{port}")
        server = gunicorn(env, port)
        try:
            base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
            while True:
                try:
                    status, _headers, body = fetch(f"{base}/accounts/login/")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        fail("gunicorn 未能启动：\n" + stop(server))
                    time.sleep(0.3)
            page = body.decode()
            if status != 200 or "登录" not in page:
                fail(f"登录页返回 {status}")
            step("登录页 200")
            match = re.search(r'(/static/[^"\']+\.[0-9a-f]{12}\.css)', page)
            if not match:
                fail("登录页没有引用带哈希的静态文件（collectstatic 的 manifest 未生效）")
            status, headers, _body = fetch(base + match.group(1))
            if status != 200:
                fail(f"静态文件 {match.group(1)} 返回 {status}")
            if headers.get("Content-Encoding") not in ("gzip", "br"):
                fail(f"静态文件未压缩（Content-Encoding: {headers.get('Content-Encoding')}）")
            step(f"静态文件 200（{headers.get('Content-Encoding')}）：{match.group(1)}")
            if "Permissions-Policy" not in fetch(f"{base}/accounts/login/")[1]:
                fail("缺少 Permissions-Policy 响应头")
        finally:
            stop(server)
        step("用不匹配的 RENDA_FIELD_KEY 启动：应当拒绝")
        wrong = gunicorn({**env, "RENDA_FIELD_KEY": "ffffffffffffffffffffffffffffffff"}, free_port())
        try:
            wrong.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stop(wrong)
            fail("密钥不匹配时 gunicorn 仍在运行")
        output = stop(wrong)
        if wrong.returncode == 0 or "RENDA_FIELD_KEY 与数据库中已加密的数据不匹配" not in output:
            fail(f"密钥不匹配时没有明确拒绝（退出码 {wrong.returncode}）：\n{output[-2000:]}")
        step("已拒绝启动，并说明了原因")
    step(f"通过（{time.monotonic() - started:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
