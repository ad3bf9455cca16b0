"""Moderation: the pure rules engine that screens comments for personal attacks."""

from forum.moderation.rules import (
    Assessment,
    Match,
    Rule,
    RuleError,
    assess,
    default_rules,
    dry_run,
)

__all__ = ["Assessment", "Match", "Rule", "RuleError", "assess", "default_rules", "dry_run"]
