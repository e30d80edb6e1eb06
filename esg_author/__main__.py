"""`python -m esg_author` — the same as the esg-author command."""

import sys

from esg_author.cli import main

sys.exit(main())
