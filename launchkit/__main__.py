"""`python -m launchkit`."""

from launchkit.cli import main

main()
