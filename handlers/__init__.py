"""Telegram handlers: one module per feature; each parses, calls knowledge, renders."""
