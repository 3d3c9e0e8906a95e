"""The token recipe in examples/ makes tokens the widget accepts."""

import datetime as dt
import sys
from pathlib import Path

from infoshare_widget.embed.tokens import Partner, verify_token

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from sign_token import make_keys, sign_identity  # noqa: E402


def test_the_recipe_signs_a_token_the_widget_accepts(tmp_path):
    private, public = make_keys(tmp_path)
    token = sign_identity(private_key_pem=private.read_text(), issuer="https://intranet.example", org="example-trust",
                          sub="u-1", name="Priya Shah", role="School nurse")
    partners = {"https://intranet.example": Partner("https://intranet.example", "RS256", public.read_text(),
                                                     ("example-trust",))}
    identity = verify_token(token, partners=partners, audience="infoshare-widget", seen=lambda *a: False,
                            now=dt.datetime.now(dt.UTC))
    assert (identity.name, identity.org) == ("Priya Shah", "example-trust")
