"""cohort periods, de-selection criteria, CRN and Niche reference unique in Wales

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 08:28:08.752704

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('ended_by', sa.String(length=20), nullable=False),
    sa.Column('left_reason', sa.Enum('green_three_months', 'no_conviction_12_months', 'no_outstanding_charges', 'moved_area', 'custody_two_years', 'other', name='left_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('left_criteria', sa.JSON(), nullable=True),
    sa.Column('exit_strategy', sa.Text(), nullable=True),
    sa.Column('y2a_early_reason', sa.Text(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ended_on >= started_on', name=op.f('ck_cohort_periods_ends_after_start')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_cohort_periods_person_id_people')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_cohort_periods_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_periods'))
    )
    with op.batch_alter_table('cohort_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_periods_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_cohort_periods_team_person', ['team_id', 'person_id'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_criteria', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('exit_strategy', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('y2a_early_reason', sa.Text(), nullable=True))
        batch_op.create_index('uq_people_delius_crn', ['delius_crn'], unique=True)
        batch_op.create_index('uq_people_niche_ref', ['niche_ref'], unique=True)



def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('uq_people_niche_ref')
        batch_op.drop_index('uq_people_delius_crn')
        batch_op.drop_column('y2a_early_reason')
        batch_op.drop_column('exit_strategy')
        batch_op.drop_column('left_criteria')

    with op.batch_alter_table('cohort_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_periods_team_person')
        batch_op.drop_index(batch_op.f('ix_cohort_periods_person_id'))

    op.drop_table('cohort_periods')
