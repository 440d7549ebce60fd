"""Allow ``python -m nbcompanion``."""

import sys

from nbcompanion.app import main

sys.exit(main())
