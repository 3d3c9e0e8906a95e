"""`python -m infoshare_widget SUBCOMMAND ...`: the command line (cli.py)."""

import sys

from infoshare_widget.cli import main

if __name__ == "__main__":
    sys.exit(main())
