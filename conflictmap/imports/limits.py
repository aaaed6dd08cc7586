"""What an import may write, taken from the models themselves (a text field's max_length, the
database's range for an integer field), so that a row the dry run accepts is never refused by
the database at --commit, and no limit is written down twice.

Text made to be read (a title, a place's name, a source's title or publisher) is cut to fit,
with a line in the report saying so; any other value that does not fit (an id, an address, a
number) rejects its row, since cutting it would change what it says or where it points.
Dates run from the theatre's start to today, with a day's margin for reports dated in a time
zone ahead of the server's.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, models

CUT_TO_FIT = {"title", "place_name", "publisher"}  # read by people: cut, and the report says so
FUTURE_MARGIN = dt.timedelta(days=1)


def fit(model: type[models.Model], values: dict, notes: list[str], what: str = "") -> None:
    """Check `values` (field name -> value, as the import will set them) against `model`'s fields:
    cut display text that is too long (with a note), raise ValidationError for anything else."""
    for name, value in list(values.items()):
        field = model._meta.get_field(name)
        label = f"{what}{name}"
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL's text holds every character but this one
            raise ValidationError(f"its {label} contains a NUL character (0x00), which no text may hold")
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            if name not in CUT_TO_FIT:
                raise ValidationError(f"its {label} is {len(value):,} characters long, and at most {field.max_length} "
                                      "are stored: cutting it would change what it says")  # fmt: skip
            values[name] = value[: field.max_length]
            notes.append(f"its {label} of {len(value):,} characters is cut to the {field.max_length} a {label} holds")
        elif isinstance(value, int) and isinstance(field, models.IntegerField):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValidationError(f"its {label} {value:,} is outside what the database stores "
                                      f"({low:,} to {high:,})")  # fmt: skip


def check_date(date: dt.date, start: dt.date, theatre: str) -> None:
    """A date within the theatre's record: from its start to today (and a day's margin)."""
    if date < start:
        raise ValidationError(f"its date {date} is before {theatre}'s record starts ({start})")
    latest = dt.date.today() + FUTURE_MARGIN
    if date > latest:
        raise ValidationError(f"its date {date} is in the future (the latest accepted is {latest})")
