"""Data the identities tests check the product against."""
