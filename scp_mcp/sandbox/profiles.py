"""Per-service behaviour as data: engines, server types, parameters, lifecycle durations (seconds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Engine:
    key: str  # stable part of the id
    name: str
    major_version: str
    software_version: str
    end_of_service: bool = False


@dataclass(frozen=True)
class ServerType:
    name: str
    cpu_core: int
    memory_gb: int


@dataclass(frozen=True)
class EngineParameter:
    name: str
    default_value: str
    data_type: str
    allows_value: str
    apply_type: str = "DYNAMIC"


@dataclass(frozen=True)
class DbaasProfile:
    service: str
    product_type: str
    dbaas_engine: str
    product_image_type: str
    engines: tuple[Engine, ...]
    parameters: tuple[EngineParameter, ...]
    create_seconds: float

    @property
    def durations(self) -> dict[str, float]:
        """Seconds per lifecycle step: the family's, with this service's create time."""
        return {**DBAAS_DURATIONS, "create": self.create_seconds}


SERVER_TYPES = (
    ServerType("db1v2m4", 2, 4),
    ServerType("db1v4m8", 4, 8),
    ServerType("db1v8m16", 8, 16),
    ServerType("db1v16m64", 16, 64),
)

DBAAS_DURATIONS = {  # every DBaaS service; create times are per service
    "start": 90.0,
    "stop": 60.0,
    "restart": 120.0,
    "edit": 180.0,
    "sync": 20.0,
    "terminate": 240.0,
    "linger": 60.0,  # how long a TERMINATED cluster can still be shown before it is gone
}

_PROFILES = (
    DbaasProfile(
        service="eventstreams",
        product_type="Event Streams",
        dbaas_engine="Kafka",
        product_image_type="Kafka",
        engines=(
            Engine("kafka-3.7.1", "Kafka 3.7.1", "3.7", "3.7.1"),
            Engine("kafka-3.6.1", "Kafka 3.6.1", "3.6", "3.6.1"),
            Engine("kafka-2.8.2", "Kafka 2.8.2", "2.8", "2.8.2", end_of_service=True),
        ),
        parameters=(
            EngineParameter("num.partitions", "3", "INTEGER", "1-1000"),
            EngineParameter("log.retention.hours", "168", "INTEGER", "1-8760"),
            EngineParameter("auto.create.topics.enable", "false", "BOOLEAN", "true,false", "STATIC"),
        ),
        create_seconds=600.0,
    ),
    DbaasProfile(
        service="searchengine",
        product_type="Search Engine",
        dbaas_engine="OpenSearch",
        product_image_type="OpenSearch",
        engines=(
            Engine("opensearch-2.17.1", "OpenSearch 2.17.1", "2.17", "2.17.1"),
            Engine("opensearch-2.11.1", "OpenSearch 2.11.1", "2.11", "2.11.1"),
        ),
        parameters=(
            EngineParameter("indices.query.bool.max_clause_count", "1024", "INTEGER", "1-65536"),
            EngineParameter("thread_pool.search.queue_size", "1000", "INTEGER", "1-10000", "STATIC"),
        ),
        create_seconds=900.0,
    ),
    DbaasProfile(
        service="vertica",
        product_type="Vertica",
        dbaas_engine="Vertica",
        product_image_type="Vertica Enterprise",
        engines=(
            Engine("vertica-24.1.0", "Vertica 24.1.0", "24.1", "24.1.0"),
            Engine("vertica-23.4.0", "Vertica 23.4.0", "23.4", "23.4.0"),
        ),
        parameters=(
            EngineParameter("MaxClientSessions", "50", "INTEGER", "0-1000"),
            EngineParameter("ActivePartitionCount", "1", "INTEGER", "1-100", "STATIC"),
        ),
        create_seconds=1200.0,
    ),
)
DBAAS: dict[str, DbaasProfile] = {profile.service: profile for profile in _PROFILES}

FLOW_DURATIONS = {"create": 300.0, "update": 60.0, "delete": 120.0, "linger": 60.0}
QUICK_QUERY_DURATIONS = {"create": 900.0, "update": 120.0, "delete": 300.0, "linger": 60.0}
