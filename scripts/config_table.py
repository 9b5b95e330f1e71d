"""Print the README's configuration table from ``badgeapp.config.DEFAULTS``.

Usage: ``python scripts/config_table.py`` and paste between the config-table markers; the test
``test_readme_documents_every_config_key`` fails when a key is missing from the README.
"""

from __future__ import annotations

from badgeapp.config import DEFAULTS


def default_text(key: str, value: object) -> str:
    if key == "SECRET_KEY":
        return "generated"
    if key == "DATABASE_URL":
        return "`sqlite:///instance/badgeapp.db`"
    if value is None or value == []:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def main() -> None:
    print("| key | default | meaning |")
    print("| --- | --- | --- |")
    for key, setting in DEFAULTS.items():
        print(f"| `{key}` | {default_text(key, setting.default)} | {setting.doc} |")


if __name__ == "__main__":
    main()
