"""Tests of delivery planning."""
