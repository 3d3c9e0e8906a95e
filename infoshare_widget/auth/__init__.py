"""Who is signed in: accounts and passwords (with a throttle), and the server-side sessions they
give (a partner's identity token gives one too: embed/identity.py). The services take a session and
know nothing of Reflex; state.py and pages.py are the sign-in pages.

  rules.py     secrets, the throttle's arithmetic, messages (pure)
  sessions.py  open, resolve, sign out and purge sessions
  accounts.py  accounts, password sign-in and the throttle
  state.py     the sign-in, second-factor and password states, and with_session
  pages.py     the sign-in, code, set-up and password pages
"""

from infoshare_widget.auth.accounts import SignInResult, create_user, sign_in
from infoshare_widget.auth.sessions import SignedIn, purge_expired, resolve, sign_out

__all__ = [
    "SignInResult",
    "SignedIn",
    "create_user",
    "purge_expired",
    "resolve",
    "sign_in",
    "sign_out",
]
