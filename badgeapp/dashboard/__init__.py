"""What the dashboard pages need besides templates: the badge builder's table of families and
its validation, the WTForms forms, the login session. Views live in ``families/dashboard.py``."""
