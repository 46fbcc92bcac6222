"""The bare references of bench/pages_bench.py, served by the same gunicorn settings as the CRM.

``/jinja`` renders a Jinja template (20 rows); ``/query`` runs one peewee query (20 member cities of the same
database) and renders the same template. ``/join`` (GET and POST) is the bare registration flow of a
``--registrations`` run: a form with a CSRF token in the session, then lock, count, insert in one transaction.
The database is ``BARE_DATABASE_URL`` (the CRM's own SQLite file or PostgreSQL database).
"""

from __future__ import annotations

import os
import secrets

import peewee
from flask import Flask, abort, render_template, request, session
from playhouse.pool import PooledPostgresqlDatabase

URL = os.environ["BARE_DATABASE_URL"]
if URL.startswith("sqlite:///"):
    # The CRM's own settings: WAL, busy timeout, BEGIN IMMEDIATE.
    db = peewee.SqliteDatabase(URL.removeprefix("sqlite:///"), timeout=10, lock_type="IMMEDIATE",
                               pragmas={"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000,
                                        "synchronous": "normal"})
else:
    from urllib.parse import urlparse

    parts = urlparse(URL)
    db = PooledPostgresqlDatabase(parts.path.lstrip("/"), user=parts.username, password=parts.password,
                                  host=parts.hostname, port=parts.port or 5432, max_connections=8,
                                  stale_timeout=300)


class City(peewee.Model):
    name = peewee.CharField()
    country = peewee.CharField()
    status = peewee.CharField()

    class Meta:
        database = db
        table_name = "city"


class BareRegistration(peewee.Model):
    event = peewee.IntegerField(index=True)
    email = peewee.CharField()
    name = peewee.CharField()
    status = peewee.CharField()
    waiting_position = peewee.IntegerField(null=True)

    class Meta:
        database = db
        table_name = "bare_registration"


class BareEvent(peewee.Model):
    capacity = peewee.IntegerField()

    class Meta:
        database = db
        table_name = "bare_event"


app = Flask(__name__)
app.secret_key = "bare-reference-secret-key-long-enough"
ROWS = [{"name": f"City {i}", "country": "XX", "status": "active"} for i in range(20)]


@app.before_request
def _connect():
    db.connect(reuse_if_open=True)


@app.teardown_request
def _close(exc):
    if not db.is_closed():
        db.close()


@app.route("/jinja")
def jinja_page():
    return render_template("bare.html", rows=ROWS)


@app.route("/query")
def query_page():
    rows = list(City.select(City.name, City.country, City.status).order_by(City.name).limit(20))
    return render_template("bare.html", rows=rows)


@app.route("/join/<int:event_id>", methods=["GET", "POST"])
def join(event_id):
    if request.method == "GET":
        session["csrf"] = session.get("csrf") or secrets.token_urlsafe(24)
        return render_template("bare_join.html", token=session["csrf"])
    if not secrets.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "")):
        abort(400)
    with db.atomic():
        if isinstance(db, PooledPostgresqlDatabase):
            event = BareEvent.select().where(BareEvent.id == event_id).for_update().get()
        else:
            event = BareEvent.get_by_id(event_id)  # BEGIN IMMEDIATE already holds the write lock
        taken = (BareRegistration.select()
                 .where(BareRegistration.event == event_id, BareRegistration.status == "registered")
                 .count())
        waiting = None
        if taken >= event.capacity:
            waiting = (BareRegistration.select()
                       .where(BareRegistration.event == event_id, BareRegistration.status == "waiting")
                       .count()) + 1
        BareRegistration.create(event=event_id, email=request.form["email"], name=request.form["name"],
                                status="waiting" if waiting else "registered", waiting_position=waiting)
    return render_template("bare.html", rows=[{"name": request.form["name"], "country": "", "status": "ok"}])
