"""Reconnect: a terminal game for practising the conversations that rebuild a connection."""

__version__ = "0.1.0"
