"""Who is signed in: accounts and passwords (with a throttle), partner-signed identity tokens, and
the server-side sessions both give. Takes a session; no Reflex.

  rules.py     secrets, the throttle's arithmetic, messages (pure)
  sessions.py  open, resolve, sign out and purge sessions
  accounts.py  accounts, password sign-in and the throttle
  identity.py  sign-in with a partner's token
"""

from infoshare_widget.auth.accounts import SignInResult, create_user, sign_in
from infoshare_widget.auth.identity import accept_identity_token
from infoshare_widget.auth.sessions import SignedIn, purge_expired, resolve, sign_out
from infoshare_widget.embed.tokens import TokenRejected

__all__ = [
    "SignInResult",
    "SignedIn",
    "TokenRejected",
    "accept_identity_token",
    "create_user",
    "purge_expired",
    "resolve",
    "sign_in",
    "sign_out",
]
