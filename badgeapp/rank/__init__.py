"""The rank service (rank spec): GitHub statistics, the documented rank model, tiers, errors,
limits and the answers of ``/rank/{username}`` and ``/stats/{username}``."""
