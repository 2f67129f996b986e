"""The baseline for the HTTP measurements: a bare Flask route with a small JSON body.

Served by gunicorn exactly like the app (same workers, same worker class), so the ratio of the
app's throughput to this one's says what the app's own work costs on this machine.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare() -> dict[str, bool]:
    return {"ok": True}
