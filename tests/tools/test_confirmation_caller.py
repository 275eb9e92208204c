"""A confirmation token is sealed to the caller it was shown to: another caller (another bearer
token's principal) cannot open it, the same caller can."""

from __future__ import annotations

import pytest

from scp_mcp.tools.confirmations import Sealer, TokenProblem


def test_a_token_opens_only_for_the_caller_it_was_sealed_for() -> None:
    current = ["token:aaaaaaaaaaaa"]
    sealer = Sealer(b"k" * 32, caller=lambda: current[0])
    token = sealer.seal("digest", "orders-kafka", "RUNNING", expires_at=2000.0)
    assert sealer.open(token, now=1000.0).name == "orders-kafka"
    current[0] = "token:bbbbbbbbbbbb"
    with pytest.raises(TokenProblem, match="another caller"):
        sealer.open(token, now=1000.0)
    current[0] = "local"
    with pytest.raises(TokenProblem, match="another caller"):
        sealer.open(token, now=1000.0)
