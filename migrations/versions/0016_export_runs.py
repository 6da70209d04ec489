"""exports that end double keying: Delius codes per team (by agency and kind, outcomes,
absences), and export runs with the version of each contact they carried

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-01 11:50:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# Frozen copies: the codes revision 0003 stored as the defaults (one for all of Wales, by
# kind, police liaison for every contact by police staff), and the kinds and agencies.
OLD_DEFAULTS = {
    'home_visit': 'CHVS', 'public_place': 'COOO', 'phone': 'COPT', 'video_online': 'COVC',
    'office': 'COAP', 'partner_agency': 'COOO', 'lift_practical': 'COOO', 'welfare_help': 'COOO',
    'activity': 'COOO', 'police_liaison': 'C204',
}
KINDS = ('home_visit', 'public_place', 'phone', 'video_online', 'office', 'partner_agency',
         'lift_practical', 'welfare_help', 'activity')


def _team_rows(old_key, code):
    """The per-team keys an administrator's Wales-wide code stands for now."""
    if old_key == 'police_liaison':
        return [(f'police:{kind}', code) for kind in KINDS]
    if old_key in KINDS:
        return [(f'probation:{old_key}', code), (f'partner:{old_key}', code)]
    return []


def upgrade():
    connection = op.get_bind()
    # Codes an administrator changed from the defaults go on applying, now in every team.
    changed = [(row.key, row.code) for row in connection.execute(sa.text('SELECT key, code FROM delius_codes'))
               if OLD_DEFAULTS.get(row.key) != row.code]
    teams = [row.id for row in connection.execute(sa.text('SELECT id FROM teams'))]
    connection.execute(sa.text('DELETE FROM delius_codes'))
    with op.batch_alter_table('delius_codes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_delius_codes_key', type_='unique')
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_delius_codes_team_id'), ['team_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_delius_codes_team_id'), ['team_id', 'key'])
        batch_op.create_foreign_key(batch_op.f('fk_delius_codes_team_id_teams'), 'teams', ['team_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_delius_codes_updated_by_id_users'), 'users', ['updated_by_id'], ['id'])
    now = datetime.now(timezone.utc)
    codes = sa.table('delius_codes', sa.column('team_id', sa.Integer()), sa.column('key', sa.String()),
                     sa.column('code', sa.String()), sa.column('updated_at', app.types.UTCDateTime(timezone=True)))
    rows = [{'team_id': team, 'key': key, 'code': code, 'updated_at': now}
            for team in teams for old_key, old_code in changed for key, code in _team_rows(old_key, old_code)]
    if rows:
        op.bulk_insert(codes, rows)

    op.create_table('export_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', app.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_only', sa.Boolean(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('previous_run_id', sa.Integer(), nullable=True),
    sa.Column('sensitive_notes', sa.Boolean(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_export_runs_made_by_id_users')),
    sa.ForeignKeyConstraint(['previous_run_id'], ['export_runs.id'], name=op.f('fk_export_runs_previous_run_id_export_runs')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_export_runs_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_runs'))
    )
    op.create_index('ix_export_runs_team_kind', 'export_runs', ['team_id', 'kind', 'id'], unique=False)
    op.create_table('export_run_contacts',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_export_run_contacts_contact_id_contacts')),
    sa.ForeignKeyConstraint(['run_id'], ['export_runs.id'], name=op.f('fk_export_run_contacts_run_id_export_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'contact_id', name=op.f('pk_export_run_contacts'))
    )
    op.create_index(op.f('ix_export_run_contacts_contact_id'), 'export_run_contacts', ['contact_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_export_run_contacts_contact_id'), table_name='export_run_contacts')
    op.drop_table('export_run_contacts')
    op.drop_index('ix_export_runs_team_kind', table_name='export_runs')
    op.drop_table('export_runs')
    # Back to one set of codes for all of Wales: the defaults (teams' own choices are in the audit trail).
    op.execute('DELETE FROM delius_codes')
    with op.batch_alter_table('delius_codes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_delius_codes_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_delius_codes_team_id_teams'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_delius_codes_team_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_delius_codes_team_id'))
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('team_id')
        batch_op.create_unique_constraint(batch_op.f('uq_delius_codes_key'), ['key'])
    codes = sa.table('delius_codes', sa.column('key', sa.String()), sa.column('code', sa.String()),
                     sa.column('updated_at', app.types.UTCDateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    op.bulk_insert(codes, [{'key': key, 'code': code, 'updated_at': now} for key, code in OLD_DEFAULTS.items()])
