"""contacts: an index on person and time, for finding the other officers' records of a meeting

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-01 18:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contacts_person_time', 'contacts', ['person_id', 'occurred_at'])


def downgrade():
    op.drop_index('ix_contacts_person_time', table_name='contacts')
