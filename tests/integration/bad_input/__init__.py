"""Bad input on every route, and bad tokens on protected ones: always a problem, never a 500.

``cases.py`` holds the machinery; each ``test_<area>.py`` owns its area's table.
"""
