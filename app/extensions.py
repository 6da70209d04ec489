"""Extensions are created unbound here and bound to the app in ``create_app``."""

from typing import ClassVar, TypeAlias

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every model is mapped to a Table (none to a join or a select), as SQLAlchemy's own
    # typing advice has it for a DeclarativeBase whose models are all tables.
    __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

DbSession: TypeAlias = Session | scoped_session[FlaskSession]
"""The ``session`` every operation and query takes: ``db.session``, the scoped session a view
passes (it stands for this app context's Session), or a ``Session`` itself, as an event listener
holds one. Only the listeners are annotated ``Session``: SQLAlchemy calls them with the Session."""

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
