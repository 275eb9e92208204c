"""The instance groups a cluster create may ask for: which roles, how many instances each (Event Streams).

The reference's ``role_type`` enum is shared by every DBaaS product (ACTIVE, MASTER_DATA, KIBANA, ...);
of its values, Kafka's are BROKER, ZOOKEEPER, ZOOKEEPER_BROKER (ZooKeeper on the broker nodes) and
AKHQ. SCP's Event Streams guide says 1 to 10 brokers, with ZooKeeper on its own nodes or on the
brokers. The ZooKeeper count (1 or 3) and one AKHQ node are this sandbox's guess (sandbox/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scp_mcp.sandbox.errors import ErrorReply


@dataclass(frozen=True)
class Topology:
    counts: Mapping[str, tuple[int, ...]]  # group role -> the instance counts it may have
    brokers: tuple[str, ...]  # exactly one group of one of these roles
    needs: Mapping[str, str]  # a role -> the role that must come with it
    excludes: Mapping[str, str]  # a role -> the role that must not come with it


BROKER_COUNTS = tuple(range(1, 11))
TOPOLOGIES: dict[str, Topology] = {
    "eventstreams": Topology(
        counts={"BROKER": BROKER_COUNTS, "ZOOKEEPER_BROKER": BROKER_COUNTS, "ZOOKEEPER": (1, 3), "AKHQ": (1,)},
        brokers=("BROKER", "ZOOKEEPER_BROKER"),
        needs={"BROKER": "ZOOKEEPER"},
        excludes={"ZOOKEEPER_BROKER": "ZOOKEEPER"},
    ),
}


def _refuse(field: str, message: str, allowed: Sequence[object]) -> ErrorReply:
    values = [str(v) for v in allowed]
    text = f"{field}: {message} (allowed values: {', '.join(values)})"
    return ErrorReply(400, "ValidationError", text, [{"field": field, "message": message, "allowed_values": values}])


def instance_count(group: Mapping[str, Any]) -> int:
    return len(group.get("instances") or []) or 1  # a group without an instance list gets one


def check_groups(service: str, groups: Sequence[Mapping[str, Any]]) -> None:
    """Refuse (400, naming the field and the allowed values) groups the service's topology does not allow."""
    topology = TOPOLOGIES.get(service)
    if topology is None:
        return
    roles = [str(g.get("role_type")) for g in groups]
    for index, (group, role) in enumerate(zip(groups, roles, strict=True)):
        field = f"instance_groups[{index}]"
        if role not in topology.counts:
            raise _refuse(f"{field}.role_type", f"{role} is not an Event Streams role", list(topology.counts))
        if roles.index(role) != index:
            raise _refuse(f"{field}.role_type", f"a second {role} group (one group per role)", list(topology.counts))
        for number, instance in enumerate(group.get("instances") or []):
            if instance.get("role_type") not in (None, role):
                raise _refuse(f"{field}.instances[{number}].role_type", "an instance has its group's role", [role])
        if instance_count(group) not in topology.counts[role]:
            raise _refuse(f"{field}.instances", f"{instance_count(group)} {role} instances", topology.counts[role])
    brokers = [r for r in roles if r in topology.brokers]
    if len(brokers) != 1:
        raise _refuse("instance_groups", f"{len(brokers)} broker groups; exactly one is needed", topology.brokers)
    for role, needed in topology.needs.items():
        if role in roles and needed not in roles:
            raise _refuse("instance_groups", f"a {role} group needs a {needed} group", [needed])
    for role, excluded in topology.excludes.items():
        if role in roles and excluded in roles:
            raise _refuse("instance_groups", f"{excluded} runs on the {role} nodes; drop the {excluded} group", [role])


def example_groups(service: str, server_type: str, size_gb: int = 104) -> list[dict[str, Any]]:
    """Instance groups the topology accepts (brokers and their ZooKeeper), for samples and tests."""
    if service not in TOPOLOGIES:
        return []

    def group(role: str, count: int) -> dict[str, Any]:
        storage = [{"role_type": "DATA", "size_gb": size_gb, "volume_type": "SSD"}]
        instances = [{"role_type": role} for _ in range(count)]
        return {
            "role_type": role,
            "server_type_name": server_type,
            "block_storage_groups": storage,
            "instances": instances,
        }

    return [group("BROKER", 3), group("ZOOKEEPER", 3)]
