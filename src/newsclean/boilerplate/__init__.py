"""The learned part of the boilerplate cleaner: line features, the model and its data.

- :mod:`~newsclean.boilerplate.features`: what describes a line (shape, stop words,
  rules' verdicts, neighbours, place relative to the article's main run of prose);
- :mod:`~newsclean.boilerplate.languages`: stop-word lists and a cheap language guess;
- :mod:`~newsclean.boilerplate.model`: the two-stage tree model shipped as
  ``data/model.json`` and the Viterbi decoding of its scores;
- :mod:`~newsclean.boilerplate.rulematch` and :mod:`~newsclean.boilerplate.patterns`:
  matching the rule packs (:mod:`newsclean.rules`) against lines, fast.

The cleaner itself is :class:`newsclean.cleaners.boilerplate.BoilerplateCleaner`.
The data files are rebuilt exactly by the scripts in ``training/``.
"""
