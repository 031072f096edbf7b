"""`monitor` ends an unexpected error with a one-line message, exit 1 and the traceback in a
log file under MONITOR_HOME, never on the terminal."""

from __future__ import annotations

import pipelines.cli as cli


def test_an_unexpected_error_is_a_message_and_a_log_file(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MONITOR_HOME", str(tmp_path / "home"))

    def broken(args):
        raise OSError("disk went away while reading the ledger")

    monkeypatch.setattr(cli, "_command", lambda args: broken)
    assert cli.main(["status"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "monitor status: error: disk went away while reading the ledger" in err
    [log] = (tmp_path / "home" / "logs").glob("monitor-status-error-*.log")
    assert "Traceback" in log.read_text() and "broken" in log.read_text()


def test_an_interrupt_exits_130_without_a_traceback(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_command", lambda args: interrupted)
    assert cli.main(["report"]) == 130
    assert "monitor report: interrupted" in capsys.readouterr().err
