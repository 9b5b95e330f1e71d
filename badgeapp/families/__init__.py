"""One Flask blueprint per badge family; each registers itself via badgeapp_register_routes."""
