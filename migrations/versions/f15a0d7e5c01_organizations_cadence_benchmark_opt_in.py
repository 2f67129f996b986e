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
down_revision = 'e14b7e1de9ce'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ADD COLUMN and CREATE INDEX, never a batch "move and copy": on SQLite
    # with foreign keys on, dropping the old organizations table would cascade and delete
    # every membership and assessment.
    op.add_column('organizations', sa.Column('cadence_months', sa.Integer(), server_default='12', nullable=False))
    op.add_column('organizations', sa.Column('benchmark_opt_in', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index('ix_assessments_org_status_submitted', 'assessments', ['organization_id', 'status', 'submitted_at'], unique=False)

    scores = op.create_table('assessment_scores',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('overall_score', sa.Float(), nullable=True),
    sa.Column('overall_level', sa.Integer(), nullable=True),
    sa.Column('overall_label', sa.String(length=80), nullable=True),
    sa.Column('gap_area', sa.String(length=120), nullable=True),
    sa.Column('gap_title', sa.String(length=200), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.Column('area_scores', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_assessment_scores'))
    )
    # Every submission whose results are stored gets its scores, computed as
    # assess.records.scores.scores_of does (one document at a time: they are tens of KB).
    # Those submitted before results were kept get theirs when their results are read.
    conn = op.get_bind()
    assessments = sa.table('assessments', sa.column('id'), sa.column('status'), sa.column('results', sa.JSON()))
    ids = [row[0] for row in conn.execute(sa.select(assessments.c.id).where(assessments.c.status == 'submitted', assessments.c.results.is_not(None)))]
    for assessment_id in ids:
        document = conn.execute(sa.select(assessments.c.results).where(assessments.c.id == assessment_id)).scalar()
        if isinstance(document, str):
            document = json.loads(document)
        if not isinstance(document, dict) or not isinstance(document.get('overall'), dict):
            continue
        conn.execute(sa.insert(scores).values(assessment_id=assessment_id, **_scores_of(document)))


def _scores_of(document):
    """The same columns as assess.records.scores.scores_of (copied: a migration stays as it
    was written when the code moves on)."""
    overall = document.get('overall') or {}
    areas = [a for a in document.get('areas') or () if isinstance(a, dict)]
    largest = None
    for area in areas:
        gap = area.get('gap')
        if isinstance(gap, (int, float)) and gap > 0 and (largest is None or gap > largest.get('gap')):
            largest = area
    return {
        'overall_score': overall.get('score'),
        'overall_level': overall.get('level'),
        'overall_label': overall.get('label'),
        'gap_area': largest.get('id') if largest else None,
        'gap_title': largest.get('title') if largest else None,
        'gap': round(largest.get('gap'), 2) if largest else None,
        'area_scores': {a.get('id'): a.get('score') for a in areas},
    }


def downgrade():
    op.drop_table('assessment_scores')
    op.drop_index('ix_assessments_org_status_submitted', table_name='assessments')
    # Dropping a column: SQLite 3.35 and later drop it in place (no table copy).
    op.drop_column('organizations', 'benchmark_opt_in')
    op.drop_column('organizations', 'cadence_months')
