"""Declarative base, naming convention, and column aliases shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

# Stable constraint names, so Alembic autogenerate produces the same migration on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every database; SQLite would hand back naive values otherwise."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use forum.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carrying both, because Flask-SQLAlchemy subclasses this base.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


# Created here rather than in extensions.py so models can import it without a cycle
# (extensions -> models package -> model modules -> extensions); extensions re-exports it.
db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # What ``db.Model`` is to a type checker: our declarative base (Flask-SQLAlchemy builds
    # the real class at run time, which mypy cannot follow).
    class Model(Base):
        __abstract__ = True
else:
    Model = db.Model

intpk = Annotated[int, mapped_column(primary_key=True)]
created_at = Annotated[datetime, mapped_column(default=utcnow, index=True)]
bool_false = Annotated[bool, mapped_column(default=False, server_default="0")]
