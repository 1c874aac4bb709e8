"""`python -m bot.cli` runs the same CLI as the `thottopilot` script."""

import sys

from bot.cli import main

sys.exit(main())
