"""What a case page's discussion needs, for the case page and the comment view alike."""

from casebook.models import Case
from reviews.forms import CommentForm


def discussion_context(case: Case, user, form: CommentForm | None = None) -> dict:
    """The comments, and the form; a recused person sees that the discussion is closed to them."""
    closed = case.is_recused(user)
    return {
        "case": case,
        "comments": [] if closed else case.comments.select_related("author"),
        "comments_closed": closed,
        "comment_form": form or CommentForm(),
    }
