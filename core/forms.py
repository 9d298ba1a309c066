from django import forms
from django.core.exceptions import ValidationError

from core import versions


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def stale_form(make, data, *, seen: dict, current: dict, what: str, fields_of=lambda key: [key]) -> forms.Form:
    """The form again after an edit made on an older copy of its record was refused (an
    edit never silently undoes someone else's). `make(data)` builds the form (unbound: from
    the record as it is now); `seen` and `current` are the record's snapshots as the editor
    read it and as it is (core.versions); `fields_of(key)` names the form fields of a key.

    What the other person changed shows their version, marked with an error that says so;
    a text both changed keeps the editor's, with theirs in the error; the rest keeps what the
    editor entered. The form now carries the current snapshot, so saving it again applies
    the editor's changes on top of the other person's, never beneath them."""
    now, merged = make(None), data.copy()
    changed = [key for key in [*current, *(k for k in seen if k not in current)] if seen.get(key) != current.get(key)]
    kept_own = set()
    for key in changed:
        for name in fields_of(key):
            if name not in now.fields:
                continue
            if isinstance(now.fields[name], forms.CharField) and _edited(data.get(name), seen.get(key)):
                kept_own.add(key)
                continue
            _put(merged, name, now[name].value())
    merged["seen"] = versions.sign(current)
    form = make(merged)
    form.is_valid()
    form.add_error(
        None,
        f"Someone else changed this {what} while you were editing it, so nothing was saved. "
        "Their changes are marked below; check them, then save again.",
    )
    for key in changed:
        names = [name for name in fields_of(key) if name in form.fields]
        theirs = f"changed by someone else from {_shown(seen.get(key))} to {_shown(current.get(key))}"
        if key in kept_own:
            message = f"{theirs}. You changed it too: yours is kept here, and saving replaces theirs."
        else:
            message = f"{theirs[0].upper()}{theirs[1:]}; the form now shows their version."
        form.add_error(names[0] if names else None, message if names else f"{key}: {message}")
    return form


def _edited(entered, seen_value) -> bool:
    return isinstance(seen_value, str | type(None)) and (entered or "").strip() != (seen_value or "").strip()


def _put(data, name: str, value) -> None:
    """Set a field's value in form data as a browser would have sent it."""
    if isinstance(value, list | tuple):
        data.setlist(name, [str(v) for v in value])
    elif value is True:
        data[name] = "on"
    elif value is None or value is False:
        data.pop(name, None)
    else:
        data[name] = str(value)


def _shown(value) -> str:
    if value in (None, "", [], {}):
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    text = str(value)
    return f"“{text[:120]}…”" if len(text) > 120 else f"“{text}”"
