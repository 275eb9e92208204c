"""Configuration: precedence env > ~/.scpconf files > defaults; region validation; endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scp_mcp.client import DEFAULT_ENDPOINT_TEMPLATE, ClientSettings, ConfigError


def _home(tmp_path: Path, credentials: object = None, config: object = None) -> Path:
    conf = tmp_path / ".scpconf"
    conf.mkdir()
    if credentials is not None:
        (conf / "credentials.json").write_text(credentials if isinstance(credentials, str) else json.dumps(credentials))
    if config is not None:
        (conf / "config.json").write_text(config if isinstance(config, str) else json.dumps(config))
    return tmp_path


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    s = ClientSettings.from_env({}, home=tmp_path)
    assert (s.access_key, s.secret_key, s.region, s.environment) == (None, None, "kr-west1", "e")
    assert s.endpoint_template == DEFAULT_ENDPOINT_TEMPLATE
    assert s.language == "en-US"
    assert (s.timeout_s, s.max_attempts, s.max_retry_time_s) == (30.0, 4, 60.0)
    assert dict(s.default_versions) == {}
    assert not s.has_credentials


def test_files_of_the_scp_cli_are_read_when_variables_are_absent(tmp_path: Path) -> None:
    home = _home(
        tmp_path,
        credentials={"access-key": "file-ak", "secret-key": "file-sk"},
        config={"default-region": "kr-south1", "auth-url": "https://iam.g.samsungsdscloud.com/v1"},
    )
    s = ClientSettings.from_env({}, home=home)
    assert s.access_key == "file-ak"
    assert s.secret_key is not None
    assert s.secret_key.get_secret_value() == "file-sk"
    assert (s.region, s.environment) == ("kr-south1", "g")
    assert s.has_credentials


def test_variables_win_over_files_field_by_field(tmp_path: Path) -> None:
    home = _home(
        tmp_path,
        credentials={"access-key": "file-ak", "secret-key": "file-sk"},
        config={"default-region": "kr-south1", "auth-url": "https://iam.g.samsungsdscloud.com/v1"},
    )
    env = {"SCP_SECRET_KEY": "env-sk", "SCP_REGION": "kr-east1", "SCP_ENVIRONMENT": "s"}
    s = ClientSettings.from_env(env, home=home)
    assert s.access_key == "file-ak"  # not set in the environment: from the file
    assert s.secret_key is not None
    assert s.secret_key.get_secret_value() == "env-sk"
    assert (s.region, s.environment) == ("kr-east1", "s")


def test_every_variable_is_read(tmp_path: Path) -> None:
    env = {
        "SCP_ACCESS_KEY": "ak",
        "SCP_SECRET_KEY": "sk",
        "SCP_REGION": "kr-east1",
        "SCP_ENVIRONMENT": "s",
        "SCP_ENDPOINT_TEMPLATE": "http://127.0.0.1:8080/{service}",
        "SCP_LANGUAGE": "ko-KR",
        "SCP_TIMEOUT": "12.5",
        "SCP_MAX_ATTEMPTS": "2",
        "SCP_MAX_RETRY_TIME": "9",
        "SCP_API_VERSIONS": "data-flow=1.0, quick-query = 1.0",
    }
    s = ClientSettings.from_env(env, home=tmp_path)
    assert (s.access_key, s.region, s.environment, s.language) == ("ak", "kr-east1", "s", "ko-KR")
    assert s.endpoint_template == "http://127.0.0.1:8080/{service}"
    assert (s.timeout_s, s.max_attempts, s.max_retry_time_s) == (12.5, 2, 9.0)
    assert dict(s.default_versions) == {"data-flow": "1.0", "quick-query": "1.0"}


def test_blank_variables_count_as_absent(tmp_path: Path) -> None:
    home = _home(tmp_path, config={"default-region": "kr-east1"})
    assert ClientSettings.from_env({"SCP_REGION": "  "}, home=home).region == "kr-east1"


def test_files_are_not_read_when_variables_provide_everything(tmp_path: Path) -> None:
    home = _home(tmp_path, credentials="{not json", config="{not json")
    env = {"SCP_ACCESS_KEY": "ak", "SCP_SECRET_KEY": "sk", "SCP_REGION": "kr-west1", "SCP_ENVIRONMENT": "e"}
    assert ClientSettings.from_env(env, home=home).access_key == "ak"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCP_TIMEOUT": "soon"}, "SCP_TIMEOUT='soon' is not a valid float"),
        ({"SCP_MAX_ATTEMPTS": "0"}, "SCP_MAX_ATTEMPTS='0' must be a positive number"),
        ({"SCP_API_VERSIONS": "data-flow"}, "must look like 'data-flow=1.0'"),
    ],
)
def test_invalid_variables_are_refused_naming_them(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ClientSettings.from_env(env, home=tmp_path)


def test_a_corrupt_file_is_reported_by_path_without_its_content(tmp_path: Path) -> None:
    home = _home(tmp_path, credentials='{"secret-key": "leaky"')
    with pytest.raises(ConfigError, match=r"credentials\.json is not valid JSON") as info:
        ClientSettings.from_env({}, home=home)
    assert "leaky" not in str(info.value)


def test_endpoint_follows_the_default_template() -> None:
    s = ClientSettings(region="kr-east1", environment="s")
    assert s.endpoint("eventstreams") == "https://eventstreams.kr-east1.s.samsungsdscloud.com"
    assert s.endpoint("data-flow") == "https://data-flow.kr-east1.s.samsungsdscloud.com"


@pytest.mark.parametrize(
    ("environment", "region"),
    [("s", "kr-west1"), ("s", "kr-east1"), ("g", "kr-south1"), ("g", "kr-south2"), ("g", "kr-south3"),
     ("e", "kr-west1"), ("e", "kr-east1")],
)  # fmt: skip
def test_every_documented_region_pair_is_accepted(environment: str, region: str) -> None:
    endpoint = ClientSettings(region=region, environment=environment).endpoint("vertica")
    assert endpoint == f"https://vertica.{region}.{environment}.samsungsdscloud.com"


@pytest.mark.parametrize(("environment", "region"), [("e", "kr-south1"), ("g", "kr-west1"), ("x", "kr-west1")])
def test_an_undocumented_region_pair_is_refused_listing_the_valid_pairs(environment: str, region: str) -> None:
    with pytest.raises(ConfigError) as info:
        ClientSettings(region=region, environment=environment).endpoint("vertica")
    message = str(info.value)
    assert f"{environment}/{region} is not documented" in message
    assert "s/kr-west1, s/kr-east1, g/kr-south1, g/kr-south2, g/kr-south3, e/kr-west1, e/kr-east1" in message
    assert "SCP_ENDPOINT_TEMPLATE" in message


def test_an_overridden_template_reaches_any_region_and_drops_a_trailing_slash() -> None:
    s = ClientSettings(region="us-nowhere1", environment="x", endpoint_template="http://localhost:9000/{service}/")
    assert s.endpoint("quick-query") == "http://localhost:9000/quick-query"


@pytest.mark.parametrize("template", ["https://{service}.{zone}.example", "ftp://{service}.example", "{service}"])
def test_an_invalid_template_is_refused(template: str) -> None:
    with pytest.raises(ConfigError, match="SCP_ENDPOINT_TEMPLATE"):
        ClientSettings(endpoint_template=template).endpoint("vertica")


def test_an_unknown_service_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown SCP service 'iam'"):
        ClientSettings().endpoint("iam")
