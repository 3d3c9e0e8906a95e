"""The partners whose intranets embed the widget and sign in their staff with identity tokens: their
keys, loaded from the partnership file and the environment at start-up (a missing key stops it)."""

from __future__ import annotations

import functools
import os

from infoshare_widget.base.settings import SettingsError, get_partnership, partnership_path
from infoshare_widget.embed.tokens import Partner


EMBED_AUDIENCE = "infoshare-widget"


@functools.cache
def get_embed_partners() -> dict:
    """Partners by issuer, with their keys loaded: {issuer: tokens.Partner}."""

    path = partnership_path()
    partners = {}
    for partner in get_partnership().embed_partners:
        if partner.algorithm == "HS256":
            if not partner.secret_env or not os.environ.get(partner.secret_env):
                raise SettingsError(f"partnership file {path}: partner {partner.issuer} needs its secret in "
                                    f"the environment variable named by secret_env")
            key = os.environ[partner.secret_env]
        else:
            if not partner.public_key_file:
                raise SettingsError(f"partnership file {path}: partner {partner.issuer} needs public_key_file")
            key_path = (path.parent / partner.public_key_file).resolve()
            try:
                key = key_path.read_text(encoding="utf-8")
            except OSError:
                raise SettingsError(f"partnership file {path}: cannot read {key_path} for {partner.issuer}") from None
        try:
            partners[partner.issuer] = Partner(partner.issuer, partner.algorithm, key, partner.organisations,
                                               partner.origins, partner.access_claim,
                                               tuple(partner.access_levels.items()), partner.second_factor_trusted,
                                               partner.require_origin_claim)
        except ValueError as exc:
            raise SettingsError(f"partnership file {path}: {exc}") from None
    return partners
