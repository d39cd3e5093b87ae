"""starters: every starter a coach (the starter, the meetings of the track)

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "starter",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("bestuur_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=True),
        sa.Column("naam", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("telefoon", sa.String(length=64), nullable=True),
        sa.Column("rol", sa.String(length=64), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("diploma_jaar", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("uitgenodigd_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("herinnerd_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("geantwoord_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gesprek_id", sa.String(length=32), nullable=True),
        sa.Column("uitkomst", sa.String(length=16), nullable=True),
        sa.Column("uitkomst_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uitkomst_gevraagd_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("vergeten_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["bestuur_id"], ["bestuur.id"], name=op.f("fk_starter_bestuur_id_bestuur")),
        sa.ForeignKeyConstraint(["gesprek_id"], ["loopbaangesprek.id"],
                                name=op.f("fk_starter_gesprek_id_loopbaangesprek"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"], name=op.f("fk_starter_school_id_school"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_starter")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_starter_token_hash")),
    )
    op.create_index(op.f("ix_starter_bestuur_id"), "starter", ["bestuur_id"], unique=False)
    op.create_index(op.f("ix_starter_status"), "starter", ["status"], unique=False)
    op.create_index(op.f("ix_starter_gesprek_id"), "starter", ["gesprek_id"], unique=False)
    op.create_table(
        "starter_afspraak",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("starter_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gehouden", sa.Boolean(), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["starter_id"], ["starter.id"], name=op.f("fk_starter_afspraak_starter_id_starter"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_starter_afspraak")),
    )
    op.create_index(op.f("ix_starter_afspraak_starter_id"), "starter_afspraak", ["starter_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_starter_afspraak_starter_id"), table_name="starter_afspraak")
    op.drop_table("starter_afspraak")
    op.drop_index(op.f("ix_starter_gesprek_id"), table_name="starter")
    op.drop_index(op.f("ix_starter_status"), table_name="starter")
    op.drop_index(op.f("ix_starter_bestuur_id"), table_name="starter")
    op.drop_table("starter")
