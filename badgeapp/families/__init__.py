"""One Flask blueprint per badge family; each module registers itself through badgeapp_register_routes."""
