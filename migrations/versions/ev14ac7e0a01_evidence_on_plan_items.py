"""evidence on plan items: evidence.assessment_id and question_id nullable, and a check that
each row backs exactly one thing (an answer, or a plan item)

Revision ID: ev14ac7e0a01
Revises: f15a0d7e5c01
Create Date: 2026-12-01 05:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ev14ac7e0a01'
down_revision = '9c4f1e2a7b15'
branch_labels = None
depends_on = None

#: An answer (assessment and question, no plan item) or a plan item (and neither of those).
ONE_OWNER = (
    "(assessment_id IS NOT NULL AND question_id IS NOT NULL AND action_id IS NULL)"
    " OR (action_id IS NOT NULL AND assessment_id IS NULL AND question_id IS NULL)"
)


def upgrade():
    # A batch "move and copy" on SQLite is safe here: no table has a foreign key to
    # evidence, so dropping the old table cascades to nothing. (Every existing row backs an
    # answer, so it passes the check.)
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('assessment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('question_id', existing_type=sa.String(length=120), nullable=True)
        batch_op.create_check_constraint('one_owner', ONE_OWNER)


def downgrade():
    # Plan-item evidence has no place in the older schema: its rows go (their files stay in
    # the store until an administrator clears them).
    op.execute("DELETE FROM evidence WHERE action_id IS NOT NULL")
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint('one_owner', type_='check')
        batch_op.alter_column('question_id', existing_type=sa.String(length=120), nullable=False)
        batch_op.alter_column('assessment_id', existing_type=sa.Integer(), nullable=False)
