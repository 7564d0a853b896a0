"""The benchmark's pure parts: targets and verdicts, who takes which measurement, and the server's byte count."""

from __future__ import annotations

import argparse
import math
import socket
from pathlib import Path

import pytest

from benchmarks import bench


def test_a_ratio_target_is_met_at_or_below_the_ratio() -> None:
    assert bench.verdict(("ratio", 0.40), 1000.0, 400.0) == (0.40, "≤ 0.40×", True)
    assert bench.verdict(("ratio", 0.40), 1000.0, 401.0)[2] is False


def test_an_absolute_target_reads_ours_only_and_needs_no_stock_figure() -> None:
    ratio, text, met = bench.verdict(("max", 100), math.nan, 120.0)
    assert math.isnan(ratio) and text == "≤ 100" and met is False
    assert bench.verdict(("max", 100), math.nan, 100.0)[2] is True


def test_a_metric_without_a_target_has_no_verdict() -> None:
    assert bench.verdict(None, 10.0, 5.0) == (0.5, "", None)


def test_a_target_for_every_profile_applies_where_none_is_named() -> None:
    assert bench.target_of("bytes", "desktop") == bench.TARGETS["bytes"]["*"]
    assert bench.target_of("cold_first_ms", "mobile") == ("ratio", 0.55)
    assert bench.target_of("cold_first_ms", "desktop") is None


def test_the_journey_runs_from_the_check_page_and_typing_has_no_stock_side() -> None:
    assert bench.variants_for("journey", ("embed", "check")) == ("stock", "check")
    assert bench.variants_for("journey", ("embed",)) == ()  # no stock journey without one of ours
    assert bench.variants_for("typing", ("embed", "check")) == ("embed", "check")
    assert bench.variants_for("cold", ("check",)) == ("stock", "check")


def test_a_table_shows_medians_and_leaves_out_what_was_not_measured() -> None:
    samples = {"stock": {"cold_first_ms": [3000.0, 1000.0, 2000.0]}, "check": {"cold_first_ms": [900.0, 700.0, 800.0]}}
    rows = bench.table_rows("loopback", "check", samples)
    assert [row["key"] for row in rows] == ["cold_first_ms"]
    assert rows[0]["stock"] == 2000.0 and rows[0]["ours"] == 800.0 and rows[0]["ratio"] == 0.4 and rows[0]["met"] is True


def test_comma_lists_name_known_profiles_only() -> None:
    assert bench.parse_profiles("mobile, loopback") == ["mobile", "loopback"]
    with pytest.raises(argparse.ArgumentTypeError, match="wifi"):
        bench.parse_profiles("mobile,wifi")


def test_a_profile_without_network_emulation_sends_none_and_throughputs_are_bytes_per_second() -> None:
    assert bench.PROFILES["loopback"].network() is None
    profile = bench.Profile(latency_ms=40, down_kbps=8, up_kbps=16, cpu=1, load_s=1, measurements=())
    assert profile.network() == {"offline": False, "latency": 40, "downloadThroughput": 1024, "uploadThroughput": 2048}


def test_the_server_counts_every_byte_the_client_receives(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("x" * 5000)
    meter = bench.Meter()
    server, _ = bench.serve(tmp_path, meter)
    try:
        received = b""
        for path in ("/page.txt", "/missing.txt"):
            with socket.create_connection(server.server_address) as client:
                client.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
                while chunk := client.recv(65536):
                    received += chunk
    finally:
        server.shutdown()
    assert meter.totals() == (len(received), 2)
    assert [(path, status) for path, status, _ in meter.responses] == [("/page.txt", 200), ("/missing.txt", 404)]
