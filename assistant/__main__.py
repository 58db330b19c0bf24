"""`python -m assistant`: the same as the `hcpcs-assistant` command."""

from assistant.cli.main import main

raise SystemExit(main())
