"""The token recipe for a partner's own server: sign a short-lived identity token for the widget.

Run on the intranet's server (never in the browser: the private key must stay on the server):

    python examples/sign_token.py --key partner-private.pem --issuer https://intranet.example-trust.nhs.uk \\
        --org example-trust --sub u-42 --name "Priya Shah" --role "School nurse"

Then pass the printed token to the page, and there: InfoShare.widgets[0].setToken(token).
Only PyJWT (with cryptography) is needed: pip install "PyJWT[crypto]".
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path

import jwt

AUDIENCE = "infoshare-widget"
LIFETIME_SECONDS = 10 * 60  # the widget refuses tokens that last more than 15 minutes


def sign_identity(*, private_key_pem: str, issuer: str, org: str, sub: str, name: str, role: str,
                  algorithm: str = "RS256", now: int | None = None) -> str:
    """A signed token with the claims the widget needs, valid for ten minutes, usable once."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": issuer, "aud": AUDIENCE, "sub": sub, "name": name, "role": role, "org": org,
        "iat": issued, "exp": issued + LIFETIME_SECONDS, "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private_key_pem, algorithm=algorithm)


def make_keys(folder: Path, name: str = "demo-partner") -> tuple[Path, Path]:
    """A new RSA key pair for a demo: the private key stays with the partner, the public one goes to the widget."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", type=Path, required=True, help="the partner's private key (PEM)")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--org", required=True)
    parser.add_argument("--sub", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--role", required=True)
    parser.add_argument("--algorithm", default="RS256", choices=["RS256", "ES256"])
    args = parser.parse_args()
    print(sign_identity(private_key_pem=args.key.read_text(), issuer=args.issuer, org=args.org, sub=args.sub,
                        name=args.name, role=args.role, algorithm=args.algorithm))


if __name__ == "__main__":
    main()
