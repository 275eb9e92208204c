"""Operator words -> ranked tools: a deterministic lexical ranker (BM25 over weighted fields).

No model at run time. Each operation is a document made of its tool name, its title, its glossary
summary and its service's glossary (common name, engine, synonyms, resource names), each field with
a weight; a tool outside the catalog (an operator tool) is one made of its name, title and description.
A query is tokenized the same way (lower case, a light plural stemmer, stop words out),
Korean operator words are mapped to English ones (the glossary has no Korean: the reference names
every service by its English name), and a small table of operator synonyms ("bounce" -> restart)
adds expansion terms at a lower weight. Ties are broken by tool name, so results are stable.

No MCP imports: the bench and the `discover` profile's tools both use it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.naming import title_of

K1 = 1.2
B = 0.4
EXPANSION_WEIGHT = 0.5
FIELD_WEIGHTS = {"name": 3.0, "title": 2.0, "summary": 1.0, "service": 1.5, "choose": 0.2}

_STOP_WORDS = """a an the to of for in on at by with and or is are be it its this that these those my our we i you
me us please can could would should will do does did what which whats how some any from into there yet let"""
STOP = frozenset(_STOP_WORDS.split())

# English operator words -> the words the catalog uses. Generic ops vocabulary, not per-request.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "reboot": ("restart",),
    "bounce": ("restart",),
    "kick": ("restart",),
    "delete": ("terminate", "remove"),
    "remove": ("delete", "unset"),
    "destroy": ("terminate", "delete"),
    "decommission": ("terminate",),
    "kill": ("terminate",),
    "drop": ("delete", "remove"),
    "teardown": ("terminate",),
    "pause": ("stop",),
    "shut": ("stop",),
    "shutdown": ("stop",),
    "halt": ("stop",),
    "resume": ("start",),
    "boot": ("start",),
    "provision": ("create",),
    "spin": ("create",),
    "deploy": ("create", "install"),
    "install": ("create",),
    "new": ("create",),
    "make": ("create",),
    "recover": ("restore",),
    "rollback": ("restore",),
    "status": ("state", "request"),
    "progress": ("request",),
    "finished": ("request",),
    "done": ("request",),
    "detail": ("show",),
    "details": ("show",),
    "describe": ("show",),
    "info": ("show",),
    "get": ("show",),
    "inspect": ("show",),
    "enumerate": ("list",),
    "all": ("list",),
    "available": ("list",),
    "supported": ("list", "version"),
    "have": ("list",),
    "resize": ("set", "size", "update"),
    "grow": ("set", "size", "increase"),
    "increase": ("set", "size"),
    "enlarge": ("set", "size"),
    "expand": ("set", "size"),
    "bigger": ("set", "size", "type"),
    "more": ("set", "add", "update"),
    "upgrade": ("set", "type", "version"),
    "scale": ("add", "set", "update"),
    "change": ("set", "update"),
    "modify": ("set", "update"),
    "edit": ("update", "set"),
    "adjust": ("set", "update"),
    "enable": ("set",),
    "disable": ("unset",),
    "clear": ("unset",),
    "cancel": ("unset",),
    "schedule": ("set", "maintenance"),
    "window": ("maintenance",),
    "config": ("parameter", "setting"),
    "configuration": ("parameter", "setting"),
    "settings": ("parameter", "property"),
    "setting": ("parameter", "property"),
    "firewall": ("security", "group", "rule"),
    "whitelist": ("security", "group", "rule", "allow"),
    "allowlist": ("security", "group", "rule", "allow"),
    "acl": ("security", "group", "rule"),
    "ip": ("security", "group", "rule"),
    "cidr": ("security", "group", "rule"),
    "reach": ("security", "rule", "access"),
    "connect": ("security", "rule", "access"),
    "disk": ("block", "storage", "size"),
    "disks": ("block", "storage", "size"),
    "volume": ("block", "storage"),
    "capacity": ("resource", "size"),
    "cpu": ("server", "type", "resource"),
    "memory": ("server", "type", "resource"),
    "instance": ("server", "node"),
    "sizes": ("server", "type"),
    "flavor": ("server", "type"),
    "resync": ("synchronize", "state"),
    "sync": ("synchronize",),
    "refresh": ("synchronize",),
    "reload": ("synchronize",),
    "taken": ("duplicate", "check", "name"),
    "exists": ("duplicate", "check", "name"),
    "free": ("duplicate", "check", "name"),
    "k8s": ("kubernetes",),
    "es": ("elasticsearch", "opensearch"),
    "broker": ("node",),
    "brokers": ("node",),
    "worker": ("update",),
    "workers": ("update",),
    "history": ("backup",),
    "database": ("vertica",),
    "warehouse": ("vertica",),
    "dag": ("airflow",),
    "etl": ("nifi",),
    "flow": ("data",),
}

# Korean operator words -> English catalog words; longest match first, so 재시작 is not read as 시작.
KOREAN: Mapping[str, tuple[str, ...]] = {
    "카프카": ("kafka",),
    "이벤트 스트림": ("event", "streams"),
    "오픈서치": ("opensearch",),
    "엘라스틱서치": ("elasticsearch",),
    "서치 엔진": ("search", "engine"),
    "버티카": ("vertica",),
    "나이파이": ("nifi",),
    "에어플로우": ("airflow",),
    "트리노": ("trino",),
    "프레스토": ("presto",),
    "쿠버네티스": ("kubernetes",),
    "데이터 플로우": ("data", "flow"),
    "데이터플로우": ("data", "flow"),
    "데이터 옵스": ("data", "ops"),
    "데이터옵스": ("data", "ops"),
    "퀵 쿼리": ("quick", "query"),
    "퀵쿼리": ("quick", "query"),
    "쿼리 엔진": ("query", "engine"),
    "클러스터": ("cluster",),
    "노드": ("node",),
    "브로커": ("broker", "node"),
    "서비스": ("service",),
    "백업": ("backup",),
    "요청": ("request",),
    "작업": ("request",),
    "진행": ("request", "status"),
    "목록": ("list",),
    "상세": ("show",),
    "정보": ("show",),
    "보여": ("show", "list"),
    "조회": ("list", "show"),
    "이름": ("name",),
    "중복": ("duplicate", "check"),
    "버전": ("version",),
    "엔진": ("engine",),
    "서버 타입": ("server", "type"),
    "서버": ("server",),
    "타입": ("type",),
    "유형": ("type",),
    "디스크": ("disk",),
    "블록 스토리지": ("block", "storage"),
    "스토리지": ("storage",),
    "용량": ("size",),
    "크기": ("size",),
    "파라미터": ("parameter",),
    "설정": ("set", "setting"),
    "유지보수": ("maintenance",),
    "보안 그룹": ("security", "group"),
    "허용": ("allow", "security", "rule"),
    "접속": ("access", "security", "rule"),
    "상태": ("state", "status"),
    "동기화": ("synchronize",),
    "리소스": ("resource",),
    "자원": ("resource",),
    "워커": ("worker",),
    "메모리": ("memory",),
    "인스턴스": ("instance",),
    "재시작": ("restart",),
    "재부팅": ("restart",),
    "시작": ("start",),
    "중지": ("stop",),
    "정지": ("stop",),
    "영구": ("terminate",),
    "해지": ("terminate",),
    "삭제": ("delete",),
    "제거": ("remove",),
    "생성": ("create",),
    "만들": ("create",),
    "설치": ("install",),
    "추가": ("add",),
    "늘려": ("increase",),
    "늘릴": ("increase",),
    "확장": ("increase",),
    "변경": ("change",),
    "수정": ("update",),
    "바꿔": ("change",),
    "확인": ("check",),
    "복구": ("restore",),
    "복원": ("restore",),
    "해제": ("unset",),
    "충분": ("resource",),
    # the operator tools' words: the whole fleet at once, why one thing is broken, work still running
    "전체": ("whole", "fleet"),
    "모든": ("every", "fleet"),
    "현황": ("fleet", "health"),
    "한눈에": ("whole", "fleet"),
    "요약": ("fleet", "health"),
    "건강": ("health",),
    "헬스": ("health",),
    "고장": ("broken",),
    "장애": ("broken",),
    "문제": ("broken",),
    "왜": ("why",),
    "원인": ("why", "broken"),
    "진단": ("diagnose",),
    "끝났": ("finish",),
    "완료": ("finish",),
}
_KOREAN_KEYS = sorted(KOREAN, key=len, reverse=True)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    if len(word) > 6 and word.endswith("ing"):
        return word[:-3]
    return word


def words(text: str) -> list[str]:
    """Lower-case latin words, split on anything else (tool names' underscores included), stemmed."""
    found = []
    for raw in _WORD.findall(text.lower()):
        for part in raw.split("."):
            if part and part not in STOP:
                found.append(stem(part))
    return found


def query_terms(text: str) -> dict[str, float]:
    """A query's terms with weights: its own words at 1, Korean words' English at 1, expansions lower."""
    lowered = text.lower()
    translated: list[str] = []
    if _HANGUL.search(lowered):
        for key in _KOREAN_KEYS:
            if key in lowered:
                translated += KOREAN[key]
                lowered = lowered.replace(key, " ")
    terms: dict[str, float] = {}
    own = words(lowered) + [stem(w) for w in translated]
    for word in own:
        terms[word] = 1.0
    for word in [*own, *translated]:
        for extra in SYNONYMS.get(word, ()):
            extra = stem(extra)
            terms.setdefault(extra, EXPANSION_WEIGHT)
    return terms


def _service_text(op: Operation) -> str:
    svc = load_catalog().services[op.service]
    g = svc.glossary
    if g is None:
        return svc.title
    return " ".join([svc.title, g.name, g.engine, *g.synonyms])


def fields_of(op: Operation) -> dict[str, str]:
    resource = ""
    g = load_catalog().services[op.service].glossary
    if op.resource is not None and g is not None:
        resource = g.resources.get(op.resource.kind, "")
    choose = re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", " ", op.choose or "")  # the tool names it mentions, out
    return {
        "name": op.tool_name.replace("_", " "),
        "title": title_of(op),
        "summary": f"{op.summary} {resource}",
        "service": _service_text(op),
        "choose": choose,
    }


@dataclass(frozen=True)
class Entry:
    """One tool search can find: a catalog operation's, or another tool the server lists."""

    tool: str
    title: str
    summary: str
    risk: str
    async_kind: str
    fields: Mapping[str, str]


def operation_entry(op: Operation) -> Entry:
    return Entry(op.tool_name, title_of(op), op.summary, op.risk, op.async_kind, fields_of(op))


def tool_entry(name: str, title: str, description: str, *, read_only: bool) -> Entry:
    """A tool outside the catalog (fleet_overview, diagnose, ...): found by its name, title and description."""
    fields = {"name": name.replace("_", " "), "title": title, "summary": description, "service": "", "choose": ""}
    return Entry(name, title, description, "read" if read_only else "write", "sync", fields)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


class SearchIndex:
    """BM25 over the operations given (the ones a server exposes) and any other tools' entries."""

    def __init__(self, operations: Iterable[Operation], others: Iterable[Entry] = ()) -> None:
        self.entries = (*(operation_entry(op) for op in operations), *others)
        self.docs: list[dict[str, float]] = []
        for entry in self.entries:
            tf: dict[str, float] = {}
            for field_name, text in entry.fields.items():
                weight = FIELD_WEIGHTS[field_name]
                for word in words(text):
                    tf[word] = tf.get(word, 0.0) + weight
            self.docs.append(tf)
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(len(self.lengths), 1)
        df: Counter[str] = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        prefixes = {svc.tool_prefix for svc in load_catalog().services.values()}
        self.actions = frozenset(  # the verbs tool names start with: list, show, create, restart, ...
            stem(part) for e in self.entries for part in e.tool.split("_")[1:2] if part not in prefixes
        )

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        terms = query_terms(text)
        if not any(term in self.actions for term in terms):
            terms.setdefault("list", EXPANSION_WEIGHT)  # bare nouns ("opensearch backups"): a listing
        hits = []
        for entry, tf, length in zip(self.entries, self.docs, self.lengths, strict=True):
            score = 0.0
            for term, qweight in terms.items():
                f = tf.get(term)
                if f:
                    norm = f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avg))
                    score += qweight * self.idf[term] * norm
            if score > 0:
                hits.append(Hit(entry, score))
        hits.sort(key=lambda h: (-h.score, h.entry.tool))
        return hits[:limit]
