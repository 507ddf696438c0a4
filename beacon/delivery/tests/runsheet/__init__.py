"""Tests of delivery runsheet."""
