"""concern acknowledgements: who acknowledged a contact's concern, and when

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01 11:50:00

"""
from alembic import op
import sqlalchemy as sa

from app.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('concern_acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_concern_acknowledgements_contact_id_contacts')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_concern_acknowledgements_team_id_teams')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_concern_acknowledgements_person_id_people')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_concern_acknowledgements_acknowledged_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_acknowledgements')),
    sa.UniqueConstraint('contact_id', name=op.f('uq_concern_acknowledgements_contact_id')),
    )
    op.create_index(op.f('ix_concern_acknowledgements_team_id'), 'concern_acknowledgements', ['team_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_concern_acknowledgements_team_id'), table_name='concern_acknowledgements')
    op.drop_table('concern_acknowledgements')
