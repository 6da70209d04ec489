"""contacts keep the hash of the version first received, and a correction reason

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=True))
    # Contacts stored before this revision have never been corrected: what was received is what is held.
    op.execute("UPDATE contacts SET received_sha256 = content_sha256")
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.alter_column('received_sha256', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('received_sha256')
