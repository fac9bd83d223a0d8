"""Telegram handlers: each module owns one feature and only parses, calls ``knowledge`` and renders."""
