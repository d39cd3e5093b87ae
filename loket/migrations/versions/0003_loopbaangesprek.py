"""loopbaangesprek tables and columns

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "loopbaangesprek_chat",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("loopbaangesprek_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["loopbaangesprek_id"], ["loopbaangesprek.id"],
                                name=op.f("fk_loopbaangesprek_chat_loopbaangesprek_id_loopbaangesprek"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loopbaangesprek_chat")),
    )
    with op.batch_alter_table("loopbaangesprek_chat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_chat_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_chat_loopbaangesprek_id"), ["loopbaangesprek_id"],
                              unique=False)

    op.create_table(
        "loopbaangesprek_toewijzing",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("loopbaangesprek_id", sa.String(length=32), nullable=False),
        sa.Column("coach_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("toelichting", sa.JSON(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("aangeboden_at", _TS, nullable=False),
        sa.Column("deadline", _TS, nullable=False),
        sa.Column("beantwoord_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"], name=op.f("fk_loopbaangesprek_toewijzing_coach_id_coach"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["loopbaangesprek_id"], ["loopbaangesprek.id"],
                                name=op.f("fk_loopbaangesprek_toewijzing_loopbaangesprek_id_loopbaangesprek"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loopbaangesprek_toewijzing")),
    )
    with op.batch_alter_table("loopbaangesprek_toewijzing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_toewijzing_aangeboden_at"), ["aangeboden_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_toewijzing_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_toewijzing_loopbaangesprek_id"),
                              ["loopbaangesprek_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_loopbaangesprek_toewijzing_status"), ["status"], unique=False)

    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.add_column(sa.Column("afwezig_vanaf", sa.Date(), nullable=True))

    with op.batch_alter_table("loopbaangesprek", schema=None) as batch_op:
        # Server defaults only so that rows made before this revision get a value.
        batch_op.add_column(sa.Column("naam", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("telefoon", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("kanaal", sa.String(length=16), nullable=False, server_default="web"))
        batch_op.add_column(sa.Column("taal", sa.String(length=2), nullable=False, server_default="nl"))
        batch_op.add_column(sa.Column("plaats_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("beloofd_contact_op", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("wachtrij_sinds", _TS, nullable=True))
        batch_op.add_column(sa.Column("toegewezen_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("voorgestelde_tijden", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("herinnering_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("feedback_gevraagd_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("feedback_at", _TS, nullable=True))
        batch_op.add_column(sa.Column("afgerond_at", _TS, nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_loopbaangesprek_plaats_id_plaats"), "plaats", ["plaats_id"],
                                    ["id"])


def downgrade() -> None:
    with op.batch_alter_table("loopbaangesprek", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_loopbaangesprek_plaats_id_plaats"), type_="foreignkey")
        for column in ("afgerond_at", "feedback_at", "feedback_gevraagd_at", "herinnering_at", "voorgestelde_tijden",
                       "toegewezen_at", "wachtrij_sinds", "beloofd_contact_op", "plaats_id", "taal", "kanaal",
                       "telefoon", "email", "naam"):
            batch_op.drop_column(column)
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.drop_column("afwezig_vanaf")
    op.drop_table("loopbaangesprek_toewijzing")
    op.drop_table("loopbaangesprek_chat")
