"""organizations.cadence_months and benchmark_opt_in; the index the portfolio reads by

Revision ID: f15a0d7e5c01
Revises: 5435598296c9
Create Date: 2026-12-01 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f15a0d7e5c01'
down_revision = '5435598296c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cadence_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.add_column(sa.Column('benchmark_opt_in', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_org_status_submitted', ['organization_id', 'status', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_org_status_submitted')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('benchmark_opt_in')
        batch_op.drop_column('cadence_months')
