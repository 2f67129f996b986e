"""The portfolio's index on assessments also carries the id and the questionnaire hash, so
picking each organization's latest two submissions and comparing their questionnaires reads
the index alone (on SQLite a submitted assessment's row is ~70 KB with its results: reading
1,000 of them cost half the portfolio's query at 500 organizations)

Revision ID: 9c4f1e2a7b15
Revises: f15a0d7e5c01
Create Date: 2026-12-01 05:35:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c4f1e2a7b15'
down_revision = 'f15a0d7e5c01'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE / DROP INDEX, no batch: nothing is copied.
    op.create_index(
        'ix_assessments_org_status_submitted_hash',
        'assessments',
        ['organization_id', 'status', 'submitted_at', 'id', 'questionnaire_hash'],
        unique=False,
    )
    op.drop_index('ix_assessments_org_status_submitted', table_name='assessments')


def downgrade():
    op.create_index(
        'ix_assessments_org_status_submitted',
        'assessments',
        ['organization_id', 'status', 'submitted_at'],
        unique=False,
    )
    op.drop_index('ix_assessments_org_status_submitted_hash', table_name='assessments')
