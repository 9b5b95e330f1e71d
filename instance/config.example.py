"""Example instance configuration: copy to instance/config.py and edit.

Every key is optional; environment variables of the same name win over this file.
See the configuration table in README.md for all keys.
"""

# GITHUB_TOKEN = "ghp_..."
# GITHUB_TOKENS = "ghp_a,ghp_b"       # several tokens, picked by remaining quota
# REDIS_URL = "redis://127.0.0.1:6379/0"
# DATABASE_URL = "postgresql://badgeapp@127.0.0.1:5432/badgeapp"
RATE_LIMIT = "100/minute"
CACHE_TTL = 300
# BADGEAPP_PLUGINS_DIR = "./plugins"
