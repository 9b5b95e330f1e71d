"""What badge families share: resolving a provider value and running a plugin.

Blueprints in ``badgeapp/families/`` never import each other; the code two of them need lives
here (``provider_values`` for provider resolution, ``plugin_runner`` for running untrusted
plugin code with a time limit).
"""
