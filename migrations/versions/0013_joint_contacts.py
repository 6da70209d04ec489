"""joint contacts: the colleagues a contact names, the link of a second officer's record
to the one that counts, and supervisors' dismissals of "possibly the same contact"

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None

_PERSON_WEEK = ['person_id', 'occurred_week', 'voided', 'outcome', 'type', 'team_id']
_WEEK_PERSON = ['occurred_week', 'person_id', 'voided', 'outcome', 'type']


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        # Contacts stored before this revision named no colleague and are linked to none.
        batch_op.add_column(sa.Column('colleague_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('same_as_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contacts_same_as_id_contacts'), 'contacts', ['same_as_id'], ['id'])
        batch_op.drop_index('ix_contacts_person_week')
        batch_op.drop_index('ix_contacts_week_person')
        batch_op.create_index('ix_contacts_person_week', _PERSON_WEEK + ['same_as_id'], unique=False)
        batch_op.create_index('ix_contacts_week_person', _WEEK_PERSON + ['same_as_id'], unique=False)
    op.create_table('possible_duplicate_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Uuid(), nullable=False),
    sa.Column('second_id', sa.Uuid(), nullable=False),
    sa.Column('dismissed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dismissed_by_id'], ['users.id'], name=op.f('fk_possible_duplicate_dismissals_dismissed_by_id_users')),
    sa.ForeignKeyConstraint(['first_id'], ['contacts.id'], name=op.f('fk_possible_duplicate_dismissals_first_id_contacts')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_possible_duplicate_dismissals_person_id_people')),
    sa.ForeignKeyConstraint(['second_id'], ['contacts.id'], name=op.f('fk_possible_duplicate_dismissals_second_id_contacts')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_possible_duplicate_dismissals_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_possible_duplicate_dismissals')),
    sa.UniqueConstraint('first_id', 'second_id', name=op.f('uq_possible_duplicate_dismissals_first_id'))
    )
    with op.batch_alter_table('possible_duplicate_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_possible_duplicate_dismissals_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('possible_duplicate_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_possible_duplicate_dismissals_team_id'))
    op.drop_table('possible_duplicate_dismissals')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_week_person')
        batch_op.drop_index('ix_contacts_person_week')
        batch_op.create_index('ix_contacts_week_person', _WEEK_PERSON, unique=False)
        batch_op.create_index('ix_contacts_person_week', _PERSON_WEEK, unique=False)
        batch_op.drop_constraint(batch_op.f('fk_contacts_same_as_id_contacts'), type_='foreignkey')
        batch_op.drop_column('same_as_id')
        batch_op.drop_column('colleague_ids')
