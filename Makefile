# The front door: `make demo` sets everything up and runs the main job on the demo firm; `make test` runs the tests;
# `make model` retrains the bundled CSI sentence model from ../shared/corpora (CORPORA=...) and the package's sentences.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
QUARTER ?= 2024Q4
STAMP := $(VENV)/.installed
CORPORA ?= ../shared/corpora

.PHONY: setup demo test docs model red-flag-model clean-outputs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name outstaff_analysis --display-name "Python (outstaff_analysis)"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/outstaff demo --data-dir $(DATA)
	$(BIN)/outstaff ingest --data-dir $(DATA)
	$(BIN)/outstaff batch --data-dir $(DATA) --quarter $(QUARTER) --out reports --both-languages C001

test: setup
	$(BIN)/python -m pytest

docs: setup
	$(BIN)/python -m mkdocs build --strict -d site

model: setup
	$(BIN)/python -m outstaff_analysis.csi.train --corpora $(CORPORA) --out src/outstaff_analysis/csi/model/bundled

clean-outputs:
	rm -rf $(DATA)/processed/* reports/*
	touch $(DATA)/processed/.gitkeep reports/.gitkeep

# Retrain the packaged red-flag classifier from csi/lexicon/red_flags_training.csv (settings chosen by
# cross-validation on those examples; writes csi/lexicon/red_flags_model.npz + .json, no pickle).
red-flag-model: setup
	$(BIN)/python -m outstaff_analysis.csi.redflag_training
