"""jixiao（绩效）: budget-project specs in YAML → official performance forms.

The pipeline, one module per stage:

* ``load``      — read YAML safely (``yamlsafe``), build typed models (``structure``),
                  find files and apply ``_defaults.yaml`` (``workspace``);
* ``model``     — the spec model, vocabulary, value parsing and scoring;
* ``validate``  — every rule, per project and across a workspace;
* ``export`` / ``jsonschema`` — the spec as data and as JSON Schema.

The CLI (``cli``) is a thin layer on top; the core never prints.
"""

__version__ = "0.1.0"
