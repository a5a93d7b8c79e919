"""The demo data: hospital-style, deterministic for a seed and a day (`manage.py seed_demo`)."""
