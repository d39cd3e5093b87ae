"""The conversation: a channel-agnostic intake engine and its channel adapters."""
