"""Privacy: the app's main flows never try a network connection, and never load Qt's
networking; the record and its copies are readable by the user only.

The flows run in a fresh process, so that nothing another test imported can hide or fake a
result. Python's sockets are replaced by a function that records the attempt and refuses;
Qt's own networking would bypass Python's sockets, so the test also proves that
``PySide6.QtNetwork`` (home of ``QNetworkAccessManager``) is never even imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FLOWS = r"""
import json, os, socket, sys
from pathlib import Path

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[1:3] if args else kwargs)[:200])
    raise OSError("network use is blocked by the privacy test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
try:  # the trap works: a real attempt is caught and counted
    socket.socket().connect(("127.0.0.1", 9))
except OSError:
    pass
assert len(attempts) == 1
attempts.clear()

from PySide6.QtWidgets import QApplication

app = QApplication(["nbcompanion"])
app.setOrganizationName("nbcompanion-privacy-test")
app.setApplicationName("nbcompanion-privacy-test")

from nbcompanion.record import backup
from nbcompanion.record.store import now_iso
from nbcompanion.ui.opening import start_window
from nbcompanion.ui.registry import ordered_pages
from nbcompanion.ui.safety import menu
from nbcompanion.ui.safety.dialogs import ChooseFile, ConfirmRestore, Notice
from nbcompanion.ui.safety.restore_dialog import RestoreDialog

folder = Path(sys.argv[1])
shown = []
Notice.show = classmethod(lambda cls, parent, kind, title, text: shown.append((kind, title)))
ChooseFile.export_to = classmethod(lambda cls, parent, suggested: folder / "export.sqlite3")
ConfirmRestore.ask = classmethod(lambda cls, *args: True)

import nbcompanion.ui.opening as opening
opening.BACKUP_DELAY_MS = 0
window = start_window(folder / "data" / "care-record.sqlite3")
window.show()
while not backup.list_backups(window.context.store.path):  # the daily backup, after showing
    app.processEvents()
store = window.context.store
with store.transaction() as db:
    stamp = now_iso()
    db["child"].insert({"name": "Sam", "created_at": stamp, "updated_at": stamp})
window.context.notify_changed("child")
pages = []
for spec in ordered_pages():
    window.show_page(spec.key)
    app.processEvents()
    pages.append(spec.key)
menu.export_record(window)
dialog = RestoreDialog(window.context, window)
dialog.restore_button.click()  # today's backup, taken at start
app.processEvents()
window.close()
app.processEvents()
print(json.dumps({
    "attempts": attempts,
    "qtnetwork": sorted(m for m in sys.modules if "QtNetwork" in m or "QtWebEngine" in m),
    "pages": pages,
    "shown": shown,
    "backups": len(backup.list_backups(folder / "data" / "care-record.sqlite3")),
}))
# Skip the interpreter's teardown: destroying Qt objects in Python's arbitrary order at exit
# sometimes crashes PySide, long after everything this test checks has happened.
sys.stdout.flush()
os._exit(0)
"""


def test_main_flows_never_try_the_network(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache")}
    env.pop("NBCOMPANION_DATA", None)
    result = subprocess.run([sys.executable, "-c", FLOWS, str(tmp_path)], capture_output=True,
                            text=True, timeout=180, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["qtnetwork"] == []
    assert ("info", "Backup exported") in [tuple(s) for s in report["shown"]]
    assert ("info", "Backup restored") in [tuple(s) for s in report["shown"]]
    assert report["backups"] >= 2  # the one at start, and the one before the restore
    if os.name == "posix":
        made = [tmp_path / "export.sqlite3", *(tmp_path / "data" / "backups").iterdir(),
                tmp_path / "data" / "care-record.sqlite3"]
        assert {oct(p.stat().st_mode & 0o777) for p in made} == {"0o600"}
