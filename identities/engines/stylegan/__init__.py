"""MobileStyleGAN, the offline photoreal engine (`mobile_stylegan`), behind a setting.

- `engine.py`: the engine class (capabilities, ratio crops, the draft's details).
- `draw.py`: one draft — candidate search and nudge in latent space, render, read back for the
  record (a second render only when the face count is not one).
- `directions.py`: the fitted directions (directions.npz) and their predictions.
- `steering.py`: brief → label targets; ranking and nudging with the fitted directions.
- `latent.py`: seeded candidate latents and the W+ record a draft keeps.
- `model.py`: the OpenVINO networks from the `random-face` wheel (loaded on first render).
- `labels.py`: the independent readers' view of a generated photo.
- `directions.npz`: linear label predictors in style space (label units, or log-odds for the
  hair colour families, facial hair and a minor), written by bench/stylegan_fit_directions.py.

Nothing here is imported unless CASTLESS_ENABLE_MOBILE_STYLEGAN is true (see the registry).
"""
