"""How every form shows its errors, in one place.

Invalid input answers 422 with the form re-rendered around its errors. htmx is configured (in
base.html) to swap 422 responses, so an htmx form and a plain one look the same to the user.
"""

from django.core.exceptions import ValidationError
from django.forms import Form

INVALID = 422


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
