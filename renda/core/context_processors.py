"""Template context every page needs: the role's navigation and the display preferences."""

from .navigation import nav_for


def shell(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": nav_for(user) if user is not None and user.is_authenticated else [],
        "large_text": request.COOKIES.get("renda_large") == "1",
        "high_contrast": request.COOKIES.get("renda_contrast") == "1",
    }
