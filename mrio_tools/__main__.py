"""`python -m mrio_tools` runs the command line."""

import sys

from mrio_tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
