"""Preflight checks: one function per rule, all returning Findings."""

from esg_author.core.findings import Finding, Severity, has_errors

__all__ = ["Finding", "Severity", "has_errors"]
