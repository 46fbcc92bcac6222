"""Several processes change searchable records at once: afterwards the index matches the database."""

import os
import subprocess
import sys
from pathlib import Path

from crm import indexing
from crm.incidents.models import Incident

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
CHANGES = 15


def test_concurrent_writers_lose_nothing(app, network):
    script = Path(__file__).with_name("_writer.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-W", "error", str(script), app.config["DATABASE_URL"],
                               app.config["INDEX_DIR"], str(network["quiet"].id), str(w), str(CHANGES)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for w in range(WORKERS)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "LockError" not in err and "Traceback" not in err, err
        assert "done" in out
    assert Incident.select().where(Incident.title.contains(" incident ")).count() == WORKERS * CHANGES
    ix = indexing.open_index()
    assert indexing.pending_count(ix) == 0  # the last holder applied what others left to it
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "missing: 0" in result.output and "stale: 0" in result.output and "extra: 0" in result.output
