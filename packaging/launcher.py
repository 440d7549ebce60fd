"""The frozen app's entry point: the same ``main()`` as the ``nbcompanion`` command."""

import sys

from nbcompanion.app import main

if __name__ == "__main__":
    sys.exit(main())
