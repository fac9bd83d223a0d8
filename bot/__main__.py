"""``python -m bot`` runs the ctbot command line."""

from bot.cli import main

raise SystemExit(main())
