"""supervision: Delius contact type codes (seeded with the defaults); covering indexes for weekly counts

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 03:35:27.533376

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0004'
branch_labels = None
depends_on = None

# A copy, frozen at this revision, of app.models.DEFAULT_DELIUS_CODES.
DEFAULT_CODES = {
    'home_visit': 'CHVS',
    'public_place': 'COOO',
    'phone': 'COPT',
    'video_online': 'COVC',
    'office': 'COAP',
    'partner_agency': 'COOO',
    'lift_practical': 'COOO',
    'welfare_help': 'COOO',
    'activity': 'COOO',
    'police_liaison': 'C204',
}


def upgrade():
    delius_codes = op.create_table('delius_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('updated_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delius_codes')),
    sa.UniqueConstraint('key', name=op.f('uq_delius_codes_key'))
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(delius_codes, [
        {'key': key, 'code': code, 'updated_at': now} for key, code in DEFAULT_CODES.items()
    ])

    # The week view counts contacts per person and week, and the all-Wales summary per
    # week: indexes holding every column those counts read let both skip the table.
    # The person-and-week index is widened in place (same name, same leading columns).
    op.drop_index('ix_contacts_person_week', table_name='contacts')
    op.create_index('ix_contacts_person_week', 'contacts',
                    ['person_id', 'occurred_week', 'voided', 'outcome', 'type', 'team_id'], unique=False)
    op.create_index('ix_contacts_week_person', 'contacts',
                    ['occurred_week', 'person_id', 'voided', 'outcome', 'type'], unique=False)


def downgrade():
    op.drop_index('ix_contacts_week_person', table_name='contacts')
    op.drop_index('ix_contacts_person_week', table_name='contacts')
    op.create_index('ix_contacts_person_week', 'contacts', ['person_id', 'occurred_week'], unique=False)
    op.drop_table('delius_codes')
