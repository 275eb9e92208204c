"""Secret redaction for everything a tool shows: results, previews, the ledger and error text; and text
made safe to show: control characters (ANSI escapes, CR/LF from an API or an argument) written out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache, lru_cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel

MASK = "********"
MAX_ERROR_CHARS = 1500  # an error says what to change in a few lines; it never echoes megabytes
_LONG_RUN = 160  # a run of non-space characters longer than this is an echoed value, shortened
_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?$|password|passwd|secret|token|credential|private_?key|access_?key|api_?key)",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # every C0/C1 control but tab and line feed
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RUN = re.compile(rf"\S{{{_LONG_RUN + 1},}}")


def is_secret_key(key: str) -> bool:
    return _known_key(key) if len(key) <= 64 else _looks_secret(key)


@lru_cache(maxsize=4096)  # keys repeat in every record of a page: each is decided once (short ones only)
def _known_key(key: str) -> bool:
    return _looks_secret(key)


def _looks_secret(key: str) -> bool:
    return bool(_SECRET_KEY.search(key.replace("-", "_")))


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every string under a secret-looking key masked."""
    kind = type(value)
    if kind in _PLAIN:  # most values: nothing to copy, and no slow isinstance check against Mapping
        return value
    if kind is dict or isinstance(value, Mapping):
        return {k: _masked(v) if isinstance(k, str) and is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})


def redact_model(model: BaseModel) -> Any:
    """The model as JSON (by alias), secrets masked. A model none of whose fields, at any depth, can carry
    a secret-looking key is not walked: its dump already is what may be shown."""
    dumped = model.model_dump(mode="json", by_alias=True)
    return redact(dumped) if may_hold_secrets(type(model)) else dumped


@cache
def may_hold_secrets(model: type[BaseModel]) -> bool:
    """Whether a dump of the model can hold a key ``redact`` masks: a secret-looking field name, or any
    place with keys the model does not name (``dict``, ``Any``, extra fields, a type not known here)."""
    return _model_may_hold(model, set())


def _model_may_hold(model: type[BaseModel], seen: set[type[BaseModel]]) -> bool:
    if model in seen:  # a recursive model: its fields are being checked already
        return False
    seen.add(model)
    if model.model_config.get("extra") == "allow" or model.model_computed_fields:
        return True
    for name, info in model.model_fields.items():
        keys = {name, info.alias, info.serialization_alias} - {None}
        if any(is_secret_key(key) for key in keys if isinstance(key, str)) or _type_may_hold(info.annotation, seen):
            return True
    return False


def _type_may_hold(annotation: Any, seen: set[type[BaseModel]]) -> bool:
    origin = get_origin(annotation)
    if origin is Literal or annotation in _KEYLESS:
        return False
    if origin is Annotated:
        return _type_may_hold(get_args(annotation)[0], seen)
    if origin in (Union, UnionType, list, tuple, set, frozenset):
        return any(_type_may_hold(arg, seen) for arg in get_args(annotation) if arg is not Ellipsis)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_may_hold(annotation, seen)
    return not (isinstance(annotation, type) and issubclass(annotation, Enum))


_KEYLESS = frozenset({str, int, float, bool, type(None), bytes, datetime, date, time, timedelta, AwareDatetime})


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return MASK if value else value
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return redact(value)


def secret_values(*values: Any) -> tuple[str, ...]:
    """The strings under secret-looking keys in request parts (a body, a query): what an API's own error
    message may quote back, and so what error text must mask."""
    return tuple(dict.fromkeys(_secret_strings(values, False)))


def _secret_strings(value: Any, secret: bool) -> Iterator[str]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _secret_strings(v, secret or (isinstance(k, str) and is_secret_key(k)))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _secret_strings(v, secret)
    elif secret and isinstance(value, str) and value:
        yield value


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Known secret values masked wherever they appear, and control characters written out (line breaks
    kept): what the text of a result may show."""
    return _CONTROL.sub(_escaped, _mask_all(text, secrets))


def error_text(text: str, secrets: tuple[str, ...]) -> str:
    """What an error may show: secrets masked, one line with every control character written out, long
    echoed values shortened, and at most ``MAX_ERROR_CHARS`` characters."""
    text = _CONTROL_OR_NEWLINE.sub(_escaped, _mask_all(text, secrets))
    text = _RUN.sub(lambda m: f"{m.group()[:60]}…({len(m.group())} characters)", text)
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _mask_all(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = _mask(text, secret)
    return text


def _mask(text: str, secret: str) -> str:
    for form in dict.fromkeys((secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1])):
        text = text.replace(form, MASK)
    if "…" in text:  # a message shortened in the middle of a secret still shows its start
        for length in range(len(secret) - 1, 3, -1):
            text = text.replace(secret[:length] + "…", MASK + "…")
    return text


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")
