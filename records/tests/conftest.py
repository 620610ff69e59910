import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from carecoord.testing import IN_CI

# A signature database of one line that finds the EICAR test string anywhere in any file
# (an .ndb body signature), so the test needs no download of ClamAV's real signatures
# (there is no network here).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n"


@pytest.fixture(scope="session")
def clamd_socket():
    """A real clamd (Debian's clamav-daemon) on a socket of its own, with a signature
    database that knows EICAR. Skips when clamd is not installed, except in CI."""
    clamd = shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)
    if clamd is None:
        if IN_CI:
            pytest.fail("CI=true but clamd is missing (.ci/run installs clamav-daemon)")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon); the ClamAV test runs in CI")
    folder = Path(tempfile.mkdtemp(prefix="carecoord-clamd-"))
    (folder / "db").mkdir()
    (folder / "db" / "eicar.ndb").write_text(EICAR_SIGNATURE)
    socket_path = folder / "clamd.sock"
    config = folder / "clamd.conf"
    lines = [
        f"LocalSocket {socket_path}",
        f"DatabaseDirectory {folder / 'db'}",
        f"TemporaryDirectory {folder}",
        f"LogFile {folder / 'clamd.log'}",
        "Foreground yes",
    ]
    if os.geteuid() == 0:
        lines.append("User root")
    config.write_text("\n".join(lines) + "\n")
    process = subprocess.Popen([clamd, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-500:]}")
            time.sleep(0.1)
        yield str(socket_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
