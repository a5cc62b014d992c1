"""The brief: its vocabulary, its one schema and validator, the prompt built from it, the guard
against real people's names and the API payload the wizard's JSON inspector shows.

Import the submodules directly (`identities.briefs.vocabulary`, `.validation`, `.prompt`, ...):
the vocabulary is read by code that must not load Django models.
"""
