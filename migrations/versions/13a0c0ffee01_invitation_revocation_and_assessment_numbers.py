"""invitations.revoked_at (an owner revokes a link) and assessments.number (human names:
"Full assessment 3", numbered per organization and questionnaire)

Revision ID: 13a0c0ffee01
Revises: 5435598296c9
Create Date: 2026-12-01 02:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13a0c0ffee01'
down_revision = 'b13e7a11d0c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    # Existing assessments are numbered in the order they were started, per organization and
    # questionnaire, as new ones will be.
    op.execute(
        "UPDATE assessments SET number = (SELECT count(*) FROM assessments AS earlier "
        "WHERE earlier.organization_id = assessments.organization_id "
        "AND earlier.questionnaire_id = assessments.questionnaire_id "
        "AND earlier.id <= assessments.id)"
    )


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('number')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
