"""Tests of delivery setup."""
