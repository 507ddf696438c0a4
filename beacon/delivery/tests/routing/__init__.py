"""Tests of delivery routing."""
