"""Temporary guard for the restructuring of issue 9: the shipped scenarios' result files, at a
reduced size, must stay byte-identical to what the engine wrote before the change. Once the
restructuring has landed, this test gives way to ordinary tests (it pins the model's own output,
which guards against change, not against being wrong)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_tiny

FILES = ("summary.csv", "replications.csv", "monthly.csv", "distributions.csv", "scenario.yaml")

PINNED: dict[str, dict[str, str]] = {
    "baseline": {
        "summary.csv": "ddf12a86d2afbdc1e2dfa9407237a657000c5c63caa1aa19c411a10fb205ab4d",
        "replications.csv": "1faf67de1aebe601bfd76a278e77e0d219a82fdb1abfefd2b25f86fd1425c45b",
        "monthly.csv": "182abf85a4cdf830664bc98877b287d5cd2eaebe96dc0b201229fe15ba7c3bdb",
        "distributions.csv": "2516ee6bd49be5420fef113b72deeed0def1c6a713c9e8c491e212dae0f5ab37",
        "scenario.yaml": "12e73a0c72e35039bca73bbe201c1e250c2d0b18fbe1cf164e1711117be66ade",
    },
    "early_stage": {
        "summary.csv": "b5dde3c6dde572bf5dddf5221a6d76b005a4d83c34f9ad4cf459eb7ebd80f52f",
        "replications.csv": "ab99dc88bc9c9ac3bed41326c39d3c08ef9bd7680a8912ac04db04f5c02447d5",
        "monthly.csv": "7f5e8770a0239dba652ae4ff53d6af3f4c936bf4748c1e59c4047c9fcdbda869",
        "distributions.csv": "efb98a010056b1af3dd942683b2c35511d177cd19af1279601dbac26cdc9773e",
        "scenario.yaml": "449c5e477746f71999125b21e1254c25eaabce70d3187be910074e31a7619f13",
    },
    "smb_scale": {
        "summary.csv": "a26033ba2d567ea7d52696747cf2415d39e2fb51c350a0d846c1578859d6a9f6",
        "replications.csv": "343c563cb48e82815202321bd39386552d17e418fdd8ea43e51e2e1fcc0f9d3e",
        "monthly.csv": "2191923bbfc098e9fa1252f075a609693b54e924dfa6a5de92f03e9f5d52b1cd",
        "distributions.csv": "045c8f8b00979b39974f597019637dfaa1ab8c9aaa28c80de4031a78596f563b",
        "scenario.yaml": "b992303b131899937d63d6e4fb00a7cfeaacc2c42acefcce67d122296526efb5",
    },
    "complex_product": {
        "summary.csv": "98a380a652e7aa54328d9e25541fc788bbbf259ec26237a6380b4127603d92a9",
        "replications.csv": "2fea293a6446b28769c9c0d6d03905c15b4704ce6341bb3716c09725bce17539",
        "monthly.csv": "5bebe5d69b9b5769758e161618f197f772eb9483c574eeade3234fb395a12b52",
        "distributions.csv": "8dc11fbcb7bf78152b6b6e1228c19c987bd81c804bcb7214695e072c23400a70",
        "scenario.yaml": "1953c4289fda535d5b1896776709da707c38fde35af960a51528e0aaca87f62d",
    },
}


def _shrunk(name: str, tmp_path: Path) -> Path:
    doc = yaml.safe_load((REPO / "scenarios" / f"{name}.yaml").read_text())
    doc["horizon_months"] = 9
    doc["warmup_months"] = 2
    doc["replications"] = 2
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def digests(name: str, tmp_path: Path) -> dict[str, str]:
    run = run_tiny(_shrunk(name, tmp_path), tmp_path / "out", "--jobs", "2")
    return {f: hashlib.sha256(run.read(f)).hexdigest() for f in FILES}


@pytest.mark.parametrize("name", ["baseline", "early_stage", "smb_scale", "complex_product"])
def test_results_byte_identical_to_before_the_restructuring(name: str, tmp_path: Path) -> None:
    assert digests(name, tmp_path) == PINNED[name]
