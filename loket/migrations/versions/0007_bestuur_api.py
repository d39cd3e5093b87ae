"""bestuur API: keys, callback address, idempotent POSTs, the last status sent

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bestuur_api_sleutel",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("bestuur_id", sa.String(length=64), nullable=False),
        sa.Column("naam", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("sleutel_hash", sa.String(length=64), nullable=False),
        sa.Column("gemaakt_door", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatst_gebruikt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ingetrokken_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bestuur_id"], ["bestuur.id"], name=op.f("fk_bestuur_api_sleutel_bestuur_id_bestuur"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bestuur_api_sleutel")),
        sa.UniqueConstraint("sleutel_hash", name=op.f("uq_bestuur_api_sleutel_sleutel_hash")),
    )
    op.create_index(op.f("ix_bestuur_api_sleutel_bestuur_id"), "bestuur_api_sleutel", ["bestuur_id"], unique=False)
    op.create_table(
        "bestuur_callback",
        sa.Column("bestuur_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bestuur_id"], ["bestuur.id"], name=op.f("fk_bestuur_callback_bestuur_id_bestuur"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bestuur_id", name=op.f("pk_bestuur_callback")),
    )
    op.create_table(
        "api_idempotentie",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bestuur_id", sa.String(length=64), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("antwoord", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bestuur_id"], ["bestuur.id"], name=op.f("fk_api_idempotentie_bestuur_id_bestuur"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotentie")),
        sa.UniqueConstraint("bestuur_id", "sleutel", name=op.f("uq_api_idempotentie_bestuur_id")),
    )
    with op.batch_alter_table("vervangingsvraag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("callback_status", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vervangingsvraag", schema=None) as batch_op:
        batch_op.drop_column("callback_status")
    op.drop_table("api_idempotentie")
    op.drop_table("bestuur_callback")
    op.drop_index(op.f("ix_bestuur_api_sleutel_bestuur_id"), table_name="bestuur_api_sleutel")
    op.drop_table("bestuur_api_sleutel")
