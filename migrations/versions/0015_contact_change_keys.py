"""contact change keys: each correction, void and discard a phone sends, applied once by its idempotency key

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_change_keys',
    sa.Column('key', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_contact_change_keys_team_id_teams')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_contact_change_keys'))
    )


def downgrade():
    op.drop_table('contact_change_keys')
