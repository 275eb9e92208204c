"""Helpers the test packages share: a sandbox-backed server stack, the seeded fleet, schema-driven arguments."""
