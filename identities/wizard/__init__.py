"""The Create wizard: a brief edited one field at a time in the browser, then sent through the
same `job_create` as the API.

    convert.py    the brief's stored shape ↔ the API's JSON (requests, presets, readings)
    selectors.py  reads: a brief of the account, the open brief, the presets to load
    check.py      where a brief stands: validated request or problems, and its cost
    services.py   writes: start, edit, instructions, options, Generate
    presets.py    writes: load a preset into the brief, save an instruction as a preset
    forms.py      the wizard's Django forms (is a request well formed)
    display/      view models: what each step's templates show
    views/        one module per step, plus the presets, extraction and references panels,
                  and `use` ("Use as preset" from an identity's page)
    urls.py       mounted at `create/` by identities/urls.py (URL names prefixed wizard_)

Templates live in templates/wizard/ (pages) and templates/wizard/partials/ (htmx fragments).

Every write is made against the version of the brief the page saw (`Brief.version`, sent by
wizard.js); a tab showing an older brief is refused instead of overwriting the newer one.

It imports the domain below it (briefs, engines, jobs, extraction, presets) and nothing imports
it back except the library's "Use as preset", which opens the wizard on an identity's brief.
"""
