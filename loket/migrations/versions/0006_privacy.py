"""privacy tables and columns

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Telegram: a chat can be in a loopbaangesprek chat (/gesprek) besides its brede intake.
    with op.batch_alter_table("telegram_chat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gesprek_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("gesprek_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_telegram_chat_gesprek_id"), ["gesprek_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_telegram_chat_gesprek_id_loopbaangesprek_chat"),
                                    "loopbaangesprek_chat", ["gesprek_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("telegram_chat", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_telegram_chat_gesprek_id_loopbaangesprek_chat"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_telegram_chat_gesprek_id"))
        batch_op.drop_column("gesprek_token_hash")
        batch_op.drop_column("gesprek_id")
