"""console tables and columns

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opvolging",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kandidaat_id", sa.String(length=32), nullable=False),
        sa.Column("medewerker_id", sa.String(length=32), nullable=True),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verstuurd_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["kandidaat_id"], ["kandidaat.id"], name=op.f("fk_opvolging_kandidaat_id_kandidaat"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["medewerker_id"], ["medewerker.id"],
                                name=op.f("fk_opvolging_medewerker_id_medewerker"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opvolging")),
    )
    with op.batch_alter_table("opvolging", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opvolging_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_opvolging_kandidaat_id"), ["kandidaat_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opvolging_medewerker_id"), ["medewerker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opvolging_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("opvolging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opvolging_status"))
        batch_op.drop_index(batch_op.f("ix_opvolging_medewerker_id"))
        batch_op.drop_index(batch_op.f("ix_opvolging_kandidaat_id"))
        batch_op.drop_index(batch_op.f("ix_opvolging_due_at"))
    op.drop_table("opvolging")
