"""`python -m replylint_lsp`: the same server as `replylint lsp`."""
import sys

from . import main

sys.exit(main())
