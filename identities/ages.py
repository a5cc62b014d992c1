"""The ages a person we generate may have: adults only, never a minor, and no older than 99.

The brief's age field is held to this range (`identities.briefs.minors`,
`identities.briefs.validation`), so every identity's age lies inside it, and the library's age
filters offer the same range.
"""

MIN_AGE = 18
MAX_AGE = 99
