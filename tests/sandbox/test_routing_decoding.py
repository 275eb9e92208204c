"""Path parameters arrive percent-encoded; the sandbox looks resources up by the decoded value."""

from __future__ import annotations

from scp_mcp.catalog import load_catalog
from scp_mcp.sandbox.routing import Router


def test_encoded_slashes_stay_in_one_segment_and_are_decoded() -> None:
    router = Router(load_catalog())
    match = router.match("eventstreams", "GET", "/v1/clusters/a%2F..%2Fb")
    assert match.op.name == "Show Cluster"
    assert match.params == {"cluster_id": "a/../b"}
