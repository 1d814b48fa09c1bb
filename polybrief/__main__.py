"""``python -m polybrief``: the same command line as the ``polybrief`` console script."""
import sys

from polybrief.cli import main

sys.exit(main())
