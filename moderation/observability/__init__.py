"""Prometheus metrics: what web, worker and beat processes count, and what /metrics shows."""
