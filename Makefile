# ctbot — `make test` and `make run` set everything up themselves in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Build the database (if new) and start the product: the Telegram bot when
# TELEGRAM_BOT_TOKEN is set, otherwise the console chat.
run: $(STAMP)
	$(BIN)/ctbot stats >/dev/null
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
		exec $(BIN)/ctbot run; \
	else \
		exec $(BIN)/ctbot chat; \
	fi

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot knowledge handlers
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.library
	NO_PROXY=127.0.0.1,localhost $(BIN)/python -m benchmarks.telegram

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
