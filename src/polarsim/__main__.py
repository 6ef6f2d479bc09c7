import sys

from polarsim.cli import main

sys.exit(main())
