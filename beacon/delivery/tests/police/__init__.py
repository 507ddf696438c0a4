"""Tests of delivery police."""
