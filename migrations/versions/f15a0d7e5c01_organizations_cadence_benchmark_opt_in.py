"""organizations.cadence_months and benchmark_opt_in; assessment_scores (each submission's
overall and area scores, copied from its stored results) and the index the portfolio reads by

Revision ID: f15a0d7e5c01
Revises: 5435598296c9
Create Date: 2026-12-01 02:10:00

"""
import json

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

    scores = op.create_table('assessment_scores',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.JSON(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_assessment_scores'))
    )
    # Every submission whose results are stored gets its scores (one at a time: documents
    # are tens of KB). Those submitted before results were kept get theirs when read.
    conn = op.get_bind()
    assessments = sa.table('assessments', sa.column('id'), sa.column('status'), sa.column('results', sa.JSON()))
    ids = [row[0] for row in conn.execute(sa.select(assessments.c.id).where(assessments.c.status == 'submitted', assessments.c.results.is_not(None)))]
    for assessment_id in ids:
        document = conn.execute(sa.select(assessments.c.results).where(assessments.c.id == assessment_id)).scalar()
        if isinstance(document, str):
            document = json.loads(document)
        if not isinstance(document, dict) or not isinstance(document.get('overall'), dict):
            continue
        areas = [
            {key: area.get(key) for key in ('id', 'title', 'score', 'target', 'gap')}
            for area in document.get('areas') or () if isinstance(area, dict)
        ]
        overall = {key: document['overall'].get(key) for key in ('score', 'level', 'label')}
        conn.execute(sa.insert(scores).values(assessment_id=assessment_id, overall=overall, areas=areas))


def downgrade():
    op.drop_table('assessment_scores')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_org_status_submitted')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('benchmark_opt_in')
        batch_op.drop_column('cadence_months')
