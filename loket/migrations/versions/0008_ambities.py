"""ambitieafspraken: ambitions with targets, actuals, explanations

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ambitie",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("naam", sa.String(length=300), nullable=False),
        sa.Column("eenheid", sa.String(length=16), nullable=False),
        sa.Column("richting", sa.String(length=8), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("nulmeting_waarde", sa.Float(), nullable=False),
        sa.Column("nulmeting_jaar", sa.Integer(), nullable=False),
        sa.Column("nulmeting_bron", sa.String(length=300), nullable=False),
        sa.Column("doelen", sa.JSON(), nullable=False),
        sa.Column("eigenaar", sa.String(length=200), nullable=False),
        sa.Column("activiteiten", sa.JSON(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambitie")),
    )
    op.create_index(op.f("ix_ambitie_code"), "ambitie", ["code"], unique=False)
    op.create_table(
        "ambitie_realisatie",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("subregio", sa.String(length=64), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("waarde", sa.Float(), nullable=False),
        sa.Column("bron", sa.String(length=300), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("herkomst", sa.String(length=16), nullable=False),
        sa.Column("berekening", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambitie_realisatie")),
        sa.UniqueConstraint("code", "indicator", "subregio", "jaar", "peildatum", "herkomst",
                            name=op.f("uq_ambitie_realisatie_code")),
    )
    op.create_index(op.f("ix_ambitie_realisatie_code"), "ambitie_realisatie", ["code"], unique=False)
    op.create_table(
        "ambitie_toelichting",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("jaar", sa.Integer(), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("door", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", "jaar", name=op.f("pk_ambitie_toelichting")),
    )


def downgrade() -> None:
    op.drop_table("ambitie_toelichting")
    op.drop_index(op.f("ix_ambitie_realisatie_code"), table_name="ambitie_realisatie")
    op.drop_table("ambitie_realisatie")
    op.drop_index(op.f("ix_ambitie_code"), table_name="ambitie")
    op.drop_table("ambitie")
