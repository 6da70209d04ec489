"""devices: each phone's latest report, and sign-ins revoked with their phone

Revision ID: 0012
Revises: 0016
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('devices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('app_version', sa.String(length=40), nullable=True),
    sa.Column('user_agent', sa.String(length=400), nullable=True),
    sa.Column('unsent', sa.Integer(), nullable=False),
    sa.Column('oldest_unsent_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attention', sa.Integer(), nullable=False),
    sa.Column('storage_persisted', sa.Boolean(), nullable=True),
    sa.Column('storage_usage', sa.BigInteger(), nullable=True),
    sa.Column('storage_quota', sa.BigInteger(), nullable=True),
    sa.Column('revoked_at', app.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('unsent >= 0 AND attention >= 0', name=op.f('ck_devices_counts_not_negative')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_devices_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_devices_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_devices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', app.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_device_id'), ['device_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sign_in_sessions_device_id_devices'), 'devices', ['device_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sign_in_sessions_device_id_devices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_device_id'))
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('device_id')

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_user_id'))
        batch_op.drop_index(batch_op.f('ix_devices_team_id'))

    op.drop_table('devices')
