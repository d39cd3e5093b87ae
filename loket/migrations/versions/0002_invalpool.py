"""invalpool tables and columns

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inzet_dag",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invaller_id", sa.String(length=32), nullable=False),
        sa.Column("vraag_id", sa.String(length=32), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["invaller_id"], ["invaller.id"], name=op.f("fk_inzet_dag_invaller_id_invaller"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vraag_id"], ["vervangingsvraag.id"],
                                name=op.f("fk_inzet_dag_vraag_id_vervangingsvraag"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inzet_dag")),
        sa.UniqueConstraint("invaller_id", "datum", name=op.f("uq_inzet_dag_invaller_id")),
    )
    op.create_index(op.f("ix_inzet_dag_datum"), "inzet_dag", ["datum"], unique=False)
    op.create_index(op.f("ix_inzet_dag_invaller_id"), "inzet_dag", ["invaller_id"], unique=False)
    op.create_index(op.f("ix_inzet_dag_vraag_id"), "inzet_dag", ["vraag_id"], unique=False)
    op.create_table(
        "school_voorkeur",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("invaller_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["invaller_id"], ["invaller.id"], name=op.f("fk_school_voorkeur_invaller_id_invaller"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"], name=op.f("fk_school_voorkeur_school_id_school"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_voorkeur")),
        sa.UniqueConstraint("school_id", "invaller_id", name=op.f("uq_school_voorkeur_school_id")),
    )
    op.create_index(op.f("ix_school_voorkeur_invaller_id"), "school_voorkeur", ["invaller_id"], unique=False)
    op.create_index(op.f("ix_school_voorkeur_school_id"), "school_voorkeur", ["school_id"], unique=False)
    with op.batch_alter_table("aanbod") as batch:
        batch.add_column(sa.Column("herinnerd_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("vervangingsvraag") as batch:
        batch.add_column(sa.Column("volgende_release_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("geescaleerd_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("gewijzigd_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_vervangingsvraag_volgende_release_at"), ["volgende_release_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vervangingsvraag") as batch:
        batch.drop_index(batch.f("ix_vervangingsvraag_volgende_release_at"))
        batch.drop_column("gewijzigd_at")
        batch.drop_column("geescaleerd_at")
        batch.drop_column("deadline_at")
        batch.drop_column("volgende_release_at")
    with op.batch_alter_table("aanbod") as batch:
        batch.drop_column("herinnerd_at")
    op.drop_index(op.f("ix_school_voorkeur_school_id"), table_name="school_voorkeur")
    op.drop_index(op.f("ix_school_voorkeur_invaller_id"), table_name="school_voorkeur")
    op.drop_table("school_voorkeur")
    op.drop_index(op.f("ix_inzet_dag_vraag_id"), table_name="inzet_dag")
    op.drop_index(op.f("ix_inzet_dag_invaller_id"), table_name="inzet_dag")
    op.drop_index(op.f("ix_inzet_dag_datum"), table_name="inzet_dag")
    op.drop_table("inzet_dag")
