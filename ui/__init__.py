"""Streamlit widgets of the page, grouped by where they sit; dashboard.py wires them."""
