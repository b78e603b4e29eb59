"""Declarative specs of the input tables (SPEC.md, "Input data model").

Each :class:`TableSpec` lists its columns with a kind (``str``, ``date``, ``datetime``, ``float``,
``int``), whether it is required, its allowed values and defaults, the table's key, its
references to other tables and the date pairs that must be in order.  Validation
(:mod:`outstaff_analysis.io.validate`) reads these specs; nothing else encodes the data model.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Column name after mapping.
    kind : {"str", "date", "datetime", "float", "int"}
        Type of the values.  ``date`` values are normalised to midnight; ``datetime`` keep the time.
    required : bool
        Required columns must be present in the file and non-empty in every row.
    allowed : tuple of str, optional
        Allowed values (compared after lower-casing and stripping).
    default : object, optional
        Value used when the column is absent or the cell is empty.
    min, max : float, optional
        Bounds for numeric columns.
    plausible : str, optional
        Name of a :class:`~outstaff_analysis.config.Settings` field mapping the row's ``currency``
        to the (lowest, highest) plausible value; a value outside it is invalid.
    file_name : bool
        The value names output files (``reports/<quarter>/clients/<client_id>.html``), so it must be
        usable as a file name on every system.
    """

    name: str
    kind: str = "str"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    default: object = None
    min: float | None = None
    max: float | None = None
    file_name: bool = False
    plausible: str | None = None


@dataclasses.dataclass(frozen=True)
class Reference:
    """``column`` must hold a key of table ``table`` (its column ``target``)."""

    column: str
    table: str
    target: str


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """Spec of one input table."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    ordered_dates: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of all columns, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The :class:`Column` called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


SOURCES = ("referral", "inbound", "outbound", "partner", "other")
ROLES = ("developer", "analyst", "qa", "devops", "designer", "pm")
GRADES = ("junior", "middle", "senior", "lead")
REQUEST_STATUSES = ("open", "filled", "cancelled", "on_hold")
STAGES = ("shown", "interview", "approved", "started", "rejected", "withdrawn")
END_REASONS = ("client_ended", "specialist_left", "replaced", "project_completed", "hired_by_client", "other")
CURRENCIES = ("RUB", "USD", "EUR")
LANGUAGES = ("ru", "en", "auto")
CLIENT_ROLES = ("cto", "pm", "product", "hr", "ceo", "other")
SLA_KINDS = ("message", "bug", "replacement")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "clients",
            (
                Column("client_id", required=True, file_name=True),
                Column("client_name", required=True),
                Column("segment"),
                Column("industry"),
                Column("source", allowed=SOURCES),
                Column("signed_at", "date"),
                Column("account_manager"),
                Column("client_name_latin"),  # shown in English reports (else transliterated)
                Column("account_manager_latin"),
            ),
            key=("client_id",),
        ),
        TableSpec(
            "specialists",
            (
                Column("specialist_id", required=True),
                Column("full_name", required=True),
                Column("role", allowed=ROLES),  # an ATS may not have it: survival by role needs it
                Column("stack"),
                Column("grade", allowed=GRADES),  # likewise: survival by grade needs it
                Column("hired_at", "date"),
                Column("full_name_latin"),  # shown in English reports (else transliterated)
            ),
            key=("specialist_id",),
        ),
        TableSpec(
            "requests",
            (
                Column("request_id", required=True),
                Column("client_id", required=True),
                Column("opened_at", "datetime", required=True),
                Column("role", required=True, allowed=ROLES),
                Column("stack"),
                Column("grade", allowed=GRADES),
                Column("headcount", "int", default=1, min=1),
                Column("status", required=True, allowed=REQUEST_STATUSES),
                Column("closed_at", "datetime"),
            ),
            key=("request_id",),
            references=(Reference("client_id", "clients", "client_id"),),
            ordered_dates=(("opened_at", "closed_at"),),
        ),
        TableSpec(
            "submissions",
            (
                Column("request_id", required=True),
                Column("specialist_id", required=True),
                Column("stage", required=True, allowed=STAGES),
                Column("at", "datetime", required=True),
                Column("reason"),
            ),
            references=(
                Reference("request_id", "requests", "request_id"),
                Reference("specialist_id", "specialists", "specialist_id"),
            ),
        ),
        TableSpec(
            "placements",
            (
                Column("placement_id", required=True),
                Column("specialist_id", required=True),
                Column("client_id", required=True),
                Column("request_id"),
                Column("started_at", "date", required=True),
                Column("ended_at", "date"),
                Column("end_reason", allowed=END_REASONS),
                Column("monthly_rate", "float", plausible="monthly_rate_bounds"),
                Column("currency", allowed=CURRENCIES),
            ),
            key=("placement_id",),
            references=(
                Reference("client_id", "clients", "client_id"),
                Reference("specialist_id", "specialists", "specialist_id"),
                Reference("request_id", "requests", "request_id"),
            ),
            ordered_dates=(("started_at", "ended_at"),),
        ),
        TableSpec(
            "interviews",
            (
                Column("interview_id", required=True),
                Column("client_id", required=True),
                Column("held_at", "datetime", required=True),
                Column("transcript", required=True),
                Column("language", allowed=LANGUAGES, default="auto"),
                Column("interviewer"),
                Column("client_role", allowed=CLIENT_ROLES),
                Column("overall_rating", "float", min=0, max=10),
            ),
            key=("interview_id",),
            references=(Reference("client_id", "clients", "client_id"),),
        ),
        TableSpec(
            "sla_events",
            (
                Column("client_id", required=True),
                Column("kind", required=True, allowed=SLA_KINDS),
                Column("opened_at", "datetime", required=True),
                Column("resolved_at", "datetime"),
                Column("severity"),
            ),
            references=(Reference("client_id", "clients", "client_id"),),
            ordered_dates=(("opened_at", "resolved_at"),),
        ),
    )
}
"""All input tables, in dependency order (a table only references tables before it)."""
