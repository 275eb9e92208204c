"""`python -m scp_mcp.sandbox --port N`."""

import sys

from scp_mcp.sandbox.serve import main

sys.exit(main())
