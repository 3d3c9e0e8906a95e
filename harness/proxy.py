"""nginx in front of widget instances, as deploy/nginx.conf.template configures it (Debian's nginx,
`make proxy`): a self-made certificate, the template filled in as the sed line in docs/operations.md
does, and nginx started and stopped. Used by tests/e2e/test_scale.py and bench/load.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import subprocess
import time
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.server import ROOT

NGINX = "/usr/sbin/nginx"


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-made certificate for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def render_nginx(folder: Path, port: int, upstreams: list[int], static: Path, *, tls: bool = True) -> Path:
    """deploy/nginx.conf.template with these values (as the sed line in docs/operations.md does).
    Without tls, nginx listens for plain http on the port instead (bench/load.py: a load driver in
    Python cannot make a hundred TLS handshakes a second on the machine it shares with the servers)."""
    cert, key = certificate(folder)
    (folder / "logs").mkdir(exist_ok=True)
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    values = {
        "PORT": str(port), "SERVER_NAME": "127.0.0.1", "CERT": str(cert), "KEY": str(key), "STATIC": str(static),
        "LOGS": str(folder / "logs"),
        "UPSTREAMS": "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams),
    }
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    assert "{{" not in text
    if not tls:
        listen = f"listen {port} ssl http2;"
        if listen not in text:
            raise RuntimeError(f"deploy/nginx.conf.template no longer says '{listen}': make plain http here again")
        text = text.replace(listen, f"listen {port};")
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("ssl_"))
    # Root runs the tests: nginx's workers stay root, so they can read the test's folders.
    path = folder / "nginx.conf"
    path.write_text("user root;\npid " + str(folder / "nginx.pid") + ";\n" + text)
    return path


@contextlib.contextmanager
def nginx_in_front(folder: Path, port: int, upstreams: list[int], static: Path, *, tls: bool = True):
    """nginx on `port` (https, or http without tls) in front of the instances at `upstreams`, serving
    the build's files from `static`; yields the public origin once nginx answers /ping; stops it after."""
    config = render_nginx(folder, port, upstreams, static, tls=tls)
    checked = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(folder)], capture_output=True, text=True,
                             check=False)
    if checked.returncode:
        raise RuntimeError(f"nginx refused its configuration:\n{checked.stderr}")
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    public = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(public + "/ping", verify=False, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError((folder / "logs" / "error.log").read_text())
            time.sleep(0.2)
        yield public
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
