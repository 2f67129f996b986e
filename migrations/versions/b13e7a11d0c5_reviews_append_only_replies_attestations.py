"""reviews append-only (status, superseded_at), review replies, attestations

A review of an answer no longer replaces the last one: it supersedes it and both stay. The
unique (assessment, question) constraint becomes a partial unique index over the current
reviews (superseded_at IS NULL); existing rows migrate as current, status 'verified'.

Revision ID: b13e7a11d0c5
Revises: 5435598296c9
Create Date: 2026-12-01 02:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13e7a11d0c5'
down_revision = 'c13acc0a11f5'
branch_labels = None
depends_on = None

CURRENT = sa.text('superseded_at IS NULL')


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='verified', nullable=False))
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint('uq_reviews_assessment_id', type_='unique')
        batch_op.create_index('uq_reviews_current', ['assessment_id', 'question_id'], unique=True,
                              sqlite_where=CURRENT, postgresql_where=CURRENT)

    op.create_table('review_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_replies_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_replies'))
    )
    with op.batch_alter_table('review_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_replies_review_id'), ['review_id'], unique=False)

    op.create_table('attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('attested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_attestations_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attested_by_id'], ['users.id'], name=op.f('fk_attestations_attested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestations'))
    )
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attestations_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attestations_assessment_id'))
    op.drop_table('attestations')
    with op.batch_alter_table('review_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_replies_review_id'))
    op.drop_table('review_replies')
    # Only the current reviews fit the old one-row-per-answer table.
    op.execute('DELETE FROM reviews WHERE superseded_at IS NOT NULL')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('uq_reviews_current')
        batch_op.create_unique_constraint('uq_reviews_assessment_id', ['assessment_id', 'question_id'])
        batch_op.drop_column('superseded_at')
        batch_op.drop_column('status')
