"""django-q2 task entry points: each takes ids, re-reads rows and calls one service."""
