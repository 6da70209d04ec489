"""person weeks: each person's required level and status per week, stored

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:50:00

The table starts empty: the week views fill in any week they find missing, and
`flask rebuild-person-weeks` fills every week at once (run it after upgrading).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person_weeks',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('fixed', 'flex', 'free', name='category', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('paused', sa.Enum('custody', 'hospital', 'other', name='pause_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_weeks_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_person_weeks_team_id_teams')),
    sa.PrimaryKeyConstraint('person_id', 'week', name=op.f('pk_person_weeks'))
    )
    with op.batch_alter_table('person_weeks', schema=None) as batch_op:
        batch_op.create_index('ix_person_weeks_week', ['week', 'team_id', 'person_id', 'required', 'category'], unique=False)


def downgrade():
    with op.batch_alter_table('person_weeks', schema=None) as batch_op:
        batch_op.drop_index('ix_person_weeks_week')

    op.drop_table('person_weeks')
