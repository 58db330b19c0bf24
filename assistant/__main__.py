"""`python -m assistant`: the same as the `hcpcs-assistant` command."""

from .cli import main

raise SystemExit(main())
