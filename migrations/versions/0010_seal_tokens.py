"""seal tokens: the hash of the token each sign-in seals its records with, kept for good

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seal_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seal_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seal_tokens')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_seal_tokens_token_sha256'))
    )
    op.create_index(op.f('ix_seal_tokens_user_id'), 'seal_tokens', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_seal_tokens_user_id'), table_name='seal_tokens')
    op.drop_table('seal_tokens')
