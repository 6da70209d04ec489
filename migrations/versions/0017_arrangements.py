"""arrangements: contacts arranged ahead (arranged, moved, cancelled, recorded)

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0018'
branch_labels = None
depends_on = None

CONTACT_TYPES = ('home_visit', 'public_place', 'phone', 'video_online', 'office', 'partner_agency',
                 'lift_practical', 'welfare_help', 'activity')
STATES = ('arranged', 'moved', 'cancelled', 'recorded')
CANCELLED_BY = ('person', 'team')


def upgrade():
    op.create_table('arrangements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum(*CONTACT_TYPES, name='arrangement_type', native_enum=False, create_constraint=True,
                              length=32), nullable=False),
    sa.Column('starts_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=True),
    sa.Column('with_whom', sa.String(length=500), nullable=True),
    sa.Column('arranged_by_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum(*STATES, name='arrangement_state', native_enum=False, create_constraint=True,
                               length=32), nullable=False),
    sa.Column('cancelled_by', sa.Enum(*CANCELLED_BY, name='cancelled_by', native_enum=False, create_constraint=True,
                                      length=32), nullable=True),
    sa.Column('change_reason', sa.Text(), nullable=True),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('received_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_arrangements_team_id_teams')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_arrangements_person_id_people')),
    sa.ForeignKeyConstraint(['arranged_by_id'], ['users.id'], name=op.f('fk_arrangements_arranged_by_id_users')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_arrangements_officer_id_users')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_arrangements_contact_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangements')),
    sa.UniqueConstraint('contact_id', name=op.f('uq_arrangements_contact_id')),
    )
    op.create_index('ix_arrangements_team_starts', 'arrangements', ['team_id', 'starts_at'], unique=False)
    op.create_index('ix_arrangements_officer_starts', 'arrangements', ['officer_id', 'starts_at'], unique=False)
    op.create_index('ix_arrangements_person_starts', 'arrangements', ['person_id', 'starts_at'], unique=False)


def downgrade():
    op.drop_index('ix_arrangements_person_starts', table_name='arrangements')
    op.drop_index('ix_arrangements_officer_starts', table_name='arrangements')
    op.drop_index('ix_arrangements_team_starts', table_name='arrangements')
    op.drop_table('arrangements')
