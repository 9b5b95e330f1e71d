"""Incoming webhooks: signature checks, replay protection and what each event changes."""
