"""Offline means offline everywhere (helpers/hub.py, helpers/loading.py, helpers/install.py).

Every way the Hugging Face stack can be told to stay offline - `HF_HUB_OFFLINE` or
`TRANSFORMERS_OFFLINE` in any spelling huggingface_hub takes as true, huggingface_hub's constant,
transformers' `is_offline_mode` - stops every hub probe the helpers make: no name lookup, no socket.
`HF_ENDPOINT` points at a server on 127.0.0.1, so a probe that forgot the offline check would
connect there (loopback is allowed in tests) and the recorder below would see it;
`test_the_recorder_sees_a_probe_when_nothing_says_offline` shows that it does.
"""

from __future__ import annotations

import socket

import huggingface_hub.constants
import pytest
import transformers.utils.hub

from helpers import BOOK_MODEL, ModelNotAvailableError, load_tokenizer, resolve_model
from helpers.hub import OFFLINE_ENV_VARS, hub_is_offline, hub_reachable, probe_hub
from helpers.install import environment_report, offline_row

TRUE_SPELLINGS = ("1", "ON", "on", "yes", "YES", "True", "true", "TRUE")
NOT_TRUE_SPELLINGS = ("", "0", "false", "no", "off")
SPACED_SPELLINGS = (" 1", "1 ", " true ")  # the library reads these as online; the helpers stay offline
MEANT_SPELLINGS = ("ture", "y", "enabled", "1,", "offline")  # neither yes nor no: read as offline, and said so
NAME_SLIPS = ("HF_HUB_OFF_LINE", "hf_hub_offline", "HF_OFFLINE", "HF_HUB_OFLINE", "TRANSFORMER_OFFLINE",
              "HUGGINGFACE_HUB_OFFLINE")


@pytest.fixture
def sockets_opened(monkeypatch, tmp_path, no_offline_flag):
    """Record (and refuse) every name lookup and connection; HF_ENDPOINT on a loopback server; an empty cache."""
    opened: list[str] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.getsockname()[1]}")
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))

    def refuse(what):
        def record(*args, **kwargs):
            opened.append(f"{what}{args[1:2] if what.startswith('socket.') else args[:1]}")
            raise ConnectionRefusedError(f"test recorder: {what}")
        return record

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield opened
    server.close()


def _env_way(name: str, value: str):
    def apply(monkeypatch):
        monkeypatch.setenv(name, value)
    return pytest.param(apply, name, id=f"{name}={value}")


def _constant_way(monkeypatch):
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def _transformers_way(monkeypatch):
    monkeypatch.setattr(transformers.utils.hub, "is_offline_mode", lambda: True)


WAYS = [
    *(_env_way(name, value) for name in OFFLINE_ENV_VARS for value in ("1", "ON", "yes", "True")),
    *(_env_way(name, value) for name in OFFLINE_ENV_VARS for value in ("ture", "1 ")),
    *(_env_way(slip, "1") for slip in NAME_SLIPS),
    pytest.param(_constant_way, "huggingface_hub", id="huggingface_hub.constants.HF_HUB_OFFLINE"),
    pytest.param(_transformers_way, "huggingface_hub", id="transformers.utils.hub.is_offline_mode"),
]


def _every_probing_entry_point() -> None:
    """Call each public helper that may ask the hub, as a learner would, offline with an empty cache."""
    assert not probe_hub(BOOK_MODEL).ok
    assert hub_reachable() is False
    assert resolve_model().is_embedded  # the book's model is not cached: falls back without asking
    for call in (lambda: resolve_model("someone/some-bert"), lambda: load_tokenizer(BOOK_MODEL)):
        with pytest.raises(ModelNotAvailableError, match="오프라인"):
            call()
    assert environment_report()["허브 연결"] == "안 됨"


@pytest.mark.parametrize("way, named", WAYS)
def test_no_socket_is_opened_in_any_offline_mode(sockets_opened, monkeypatch, way, named):
    way(monkeypatch)
    assert hub_is_offline()
    assert named in probe_hub(BOOK_MODEL).seen  # the reason names how offline was asked for
    _every_probing_entry_point()
    assert sockets_opened == [], f"offline, yet the helpers reached for the network: {sockets_opened}"


def test_the_recorder_sees_a_probe_when_nothing_says_offline(sockets_opened):
    """Without any offline flag the same calls do try to connect (so the test above can fail)."""
    assert not hub_is_offline()
    assert hub_reachable() is False
    assert any("127.0.0.1" in seen for seen in sockets_opened), sockets_opened


@pytest.mark.parametrize("name", OFFLINE_ENV_VARS)
@pytest.mark.parametrize("value", MEANT_SPELLINGS)
def test_a_value_that_is_neither_yes_nor_no_keeps_the_helpers_offline_and_says_which(no_offline_flag, monkeypatch,
                                                                                      name, value):
    """HF_HUB_OFFLINE='ture' reads as online to the library; the learner meant offline."""
    monkeypatch.setenv(name, value)
    seen = probe_hub(BOOK_MODEL).seen
    assert hub_is_offline() and name in seen and repr(value) in seen, seen


@pytest.mark.parametrize("slip", NAME_SLIPS)
def test_a_slip_in_the_variable_name_keeps_the_helpers_offline_and_names_the_right_one(no_offline_flag, monkeypatch,
                                                                                       slip):
    monkeypatch.setenv(slip, "1")
    seen = probe_hub(BOOK_MODEL).seen
    assert hub_is_offline() and slip in seen and ("HF_HUB_OFFLINE" in seen or "TRANSFORMERS_OFFLINE" in seen), seen
    monkeypatch.setenv(slip, "0")  # the slip said "online": nothing to honour
    assert not hub_is_offline()


@pytest.mark.parametrize("other", ["HF_DATASETS_OFFLINE", "HF_EVALUATE_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"])
def test_other_libraries_switches_are_not_taken_for_a_slip(no_offline_flag, monkeypatch, other):
    monkeypatch.setenv(other, "1")
    assert not hub_is_offline()


@pytest.mark.parametrize("name", OFFLINE_ENV_VARS)
@pytest.mark.parametrize("value", TRUE_SPELLINGS + NOT_TRUE_SPELLINGS)
def test_true_spellings_are_read_as_huggingface_hub_reads_them(no_offline_flag, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    assert hub_is_offline() == huggingface_hub.constants._is_true(value)


@pytest.mark.parametrize("name", OFFLINE_ENV_VARS)
@pytest.mark.parametrize("value", SPACED_SPELLINGS)
def test_a_true_spelling_with_spaces_still_keeps_the_helpers_offline(no_offline_flag, monkeypatch, name, value):
    """A value copied with a space ('1 ') meant offline: the helpers never probe the hub for it."""
    monkeypatch.setenv(name, value)
    assert hub_is_offline() and "오프라인" in probe_hub(BOOK_MODEL).seen


@pytest.mark.parametrize("name", OFFLINE_ENV_VARS)
@pytest.mark.parametrize("value", NOT_TRUE_SPELLINGS)
def test_values_huggingface_hub_does_not_take_as_true_keep_the_helpers_online(no_offline_flag, monkeypatch,
                                                                              name, value):
    monkeypatch.setenv(name, value)
    assert not hub_is_offline()


def test_transformers_asks_the_same_offline_switch_as_huggingface_hub():
    """The installed transformers reads huggingface_hub's switch, so the constant covers both."""
    import huggingface_hub

    assert transformers.utils.hub.is_offline_mode is huggingface_hub.is_offline_mode


@pytest.mark.parametrize("env, row", [
    ({}, "설정 안 됨"),
    ({"HF_HUB_OFFLINE": "0"}, "0 (오프라인 모드 아님)"),
    ({"HF_HUB_OFFLINE": "yes"}, "yes (오프라인 모드)"),
    ({"TRANSFORMERS_OFFLINE": "1"}, "오프라인 모드 (환경 변수 TRANSFORMERS_OFFLINE=1)"),
])
def test_the_environment_report_says_which_way_is_offline(no_offline_flag, monkeypatch, env, row):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert offline_row() == row
