"""team defaults history: each change of a team's default levels applies from a given week

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 20:12:02.514908

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_defaults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.Column('fixed', sa.Integer(), nullable=False),
    sa.Column('flex', sa.Integer(), nullable=False),
    sa.Column('free', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fixed BETWEEN 0 AND 14', name=op.f('ck_team_defaults_fixed_range')),
    sa.CheckConstraint('flex BETWEEN 0 AND 14', name=op.f('ck_team_defaults_flex_range')),
    sa.CheckConstraint('free BETWEEN 0 AND 14', name=op.f('ck_team_defaults_free_range')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_team_defaults_set_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_defaults_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_defaults')),
    sa.UniqueConstraint('team_id', 'effective', name=op.f('uq_team_defaults_team_id'))
    )
    with op.batch_alter_table('team_defaults', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_defaults_team_id'), ['team_id'], unique=False)



def downgrade():
    with op.batch_alter_table('team_defaults', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_defaults_team_id'))

    op.drop_table('team_defaults')
