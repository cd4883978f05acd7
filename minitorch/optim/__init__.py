"""Optimizers: torch's update rules, step for step."""
