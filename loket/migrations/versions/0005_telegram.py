"""telegram tables and columns

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "telegram_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_telegram_update")),
    )
    with op.batch_alter_table("telegram_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telegram_update_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_telegram_update_status"), ["status"], unique=False)

    op.create_table(
        "telegram_chat",
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("sessie_id", sa.String(length=32), nullable=True),
        sa.Column("sessie_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sessie_id"], ["intake_sessie.id"],
                                name=op.f("fk_telegram_chat_sessie_id_intake_sessie"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_telegram_chat")),
    )
    with op.batch_alter_table("telegram_chat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telegram_chat_sessie_id"), ["sessie_id"], unique=False)

    op.create_table(
        "telegram_koppelcode",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("invaller_id", sa.String(length=32), nullable=True),
        sa.Column("coach_id", sa.String(length=32), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"], name=op.f("fk_telegram_koppelcode_coach_id_coach"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invaller_id"], ["invaller.id"],
                                name=op.f("fk_telegram_koppelcode_invaller_id_invaller"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telegram_koppelcode")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_telegram_koppelcode_code_hash")),
    )
    with op.batch_alter_table("telegram_koppelcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telegram_koppelcode_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_telegram_koppelcode_invaller_id"), ["invaller_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("telegram_koppelcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_telegram_koppelcode_invaller_id"))
        batch_op.drop_index(batch_op.f("ix_telegram_koppelcode_coach_id"))
    op.drop_table("telegram_koppelcode")
    with op.batch_alter_table("telegram_chat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_telegram_chat_sessie_id"))
    op.drop_table("telegram_chat")
    with op.batch_alter_table("telegram_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_telegram_update_status"))
        batch_op.drop_index(batch_op.f("ix_telegram_update_next_attempt_at"))
    op.drop_table("telegram_update")
