"""Certificates: issued only for what the evidence shows, and verified by recomputing from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from trainkit.certificate import certificates, code_for, render_certificate, verify
from trainkit.cli import main
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.roster import load_roster

NOW = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)


def _evidence(store, worker, domains, score, *, days_ago=5, each=3):
    """``each`` self-check and ``each`` graded answers in every domain given."""
    fw = load_framework()
    for domain in domains:
        item = fw.domain(domain).items[0].id
        for i, source in enumerate(("self_check",) * each + ("graded_exercise",) * each):
            store.record(
                worker_id=worker,
                item_id=item,
                domain=domain,
                source=source,
                ref=f"{domain}:{i}",
                score=score,
                recorded_at=NOW - timedelta(days=days_ago),
            )


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    every = [d.id for d in load_framework().domains]
    _evidence(store, "W001", every, 1.0)  # 全岗通
    _evidence(store, "W002", every[:2], 0.9, each=6)  # two domains 精通 (12 answers: sure enough)
    _evidence(store, "W003", every, 0.5)  # below 合格 everywhere
    return store


def test_certificates_state_what_the_evidence_shows(store):
    roster = load_roster()
    issued = {c.worker.worker_id: c for c in certificates(store, roster, at=NOW)}
    assert set(issued) == {"W001", "W002"}
    assert issued["W001"].full_post and len(issued["W001"].domains) == 12
    assert not issued["W002"].full_post and [lv for _, lv in issued["W002"].domains] == ["精通", "精通"]
    page = render_certificate(issued["W002"], issuer="示例区民政局")
    assert "领域能力合格证书" in page and issued["W002"].code in page and 'lang="zh-CN"' in page
    assert "全岗通能力证书" in render_certificate(issued["W001"], issuer="示例区民政局")


def test_a_code_verifies_against_the_evidence_as_it_stood(store):
    roster = load_roster()
    [cert] = [c for c in certificates(store, roster, at=NOW) if c.worker.worker_id == "W001"]
    result = verify(store, cert.code, roster=roster)
    assert result.valid and "全岗通" in result.message and "林晓雨" in result.message
    assert verify(store, cert.code[:-6] + cert.code[-6:].lower(), roster=roster).valid  # check digits in lower case


def test_forged_mistyped_and_erased_codes_do_not_verify(store):
    roster = load_roster()
    forged = verify(store, code_for("W003", NOW), roster=roster)  # well formed, never 合格
    assert not forged.valid and "不能由证据证实" in forged.message
    before = verify(store, code_for("W001", NOW - timedelta(days=30)), roster=roster)  # before any evidence
    assert not before.valid
    code = code_for("W001", NOW)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "校验位不符" in verify(store, typo).message
    assert "格式不对" in verify(store, "W001-2026").message
    store.erase_worker("W001", erased_by="S001")
    assert not verify(store, code, roster=roster).valid


def test_the_command_prints_a_folder_of_certificates_and_verifies(store, tmp_path):
    run = CliRunner().invoke
    db = str(store.engine.url)
    out = tmp_path / "证书"
    made = run(main, ["certificate", "--out", str(out), "--db", db])
    assert made.exit_code == 0, made.output
    assert "已出具 2 份证书（全岗通 1 份，领域合格 1 份）" in made.output
    assert sorted(p.name for p in out.iterdir()) == ["W001.html", "W002.html"]
    code = (
        next(line for line in (out / "W001.html").read_text(encoding="utf-8").splitlines() if "核验码" in line)
        .split('class="code">')[1]
        .split("<")[0]
    )
    checked = run(main, ["certificate", "verify", code, "--db", db])
    assert checked.exit_code == 0 and "有效" in checked.output
    bad = run(main, ["certificate", "verify", code_for("W003", NOW), "--db", db])
    assert bad.exit_code == 1
