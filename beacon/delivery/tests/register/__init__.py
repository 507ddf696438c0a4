"""Tests of delivery register."""
