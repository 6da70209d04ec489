"""caseload versions: one counter per team, raised with every change to its caseload

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 08:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('caseload_versions',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_caseload_versions_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_caseload_versions'))
    )


def downgrade():
    op.drop_table('caseload_versions')
