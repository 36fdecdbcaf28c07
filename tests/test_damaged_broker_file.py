"""A damaged append-only file of the embedded Redis stops `up` with one line saying what to do: it
stopped with a 30-line traceback, and the repair tool Redis's log names is not in the wheel."""
from __future__ import annotations

import pytest

from moderation.embedded import BrokerDidNotStart, start_redis


def test_a_damaged_append_only_file_is_named_with_the_way_out(tmp_path):
    (tmp_path / "appendonly.aof").write_bytes(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" + b"\x00junk after a full disk")

    with pytest.raises(BrokerDidNotStart) as refused:
        start_redis(tmp_path)

    message = str(refused.value)
    assert message.startswith("embedded Redis did not start: ")
    assert f"move {tmp_path / 'appendonly.aof'}" in message and "the sweep sends again" in message
    assert "\n" not in message
