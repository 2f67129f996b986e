"""The database handle (Flask-SQLAlchemy) and its naming convention, bound in the app factory,
and bringing the database to the latest schema."""

from __future__ import annotations

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Set in ``db.session.info`` when a read put something on a record for keeping (the results
#: of an assessment submitted before results were stored): reads never commit, the request
#: that succeeds does (:func:`assess.web.app.init_database`).
KEPT_BY_READS = "assess.kept_by_reads"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


def init_db() -> None:
    """Upgrade the database to the latest migration; running it again changes nothing."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
