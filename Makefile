# The two README commands, and what they need. Each step leaves a stamp, so a second run is fast.
#   make run    set up, migrate the database, serve the widget in production mode on $(PORT)
#   make test   set up, install Chromium if missing, run every test (unit, API and browser)
#   make bench  set up, then print the benchmark figures

SHELL := /bin/bash
.DEFAULT_GOAL := run
PORT ?= 3000
PYTHON ?= python3
BUN_VERSION := 1.4.5

VENV := $(CURDIR)/.venv
TOOLS := $(CURDIR)/.tools
STAMPS := $(CURDIR)/.make-stamps
CHROMIUM ?= /usr/bin/chromium

export PATH := $(TOOLS)/node_modules/.bin:$(VENV)/bin:$(PATH)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)
export PYTHONDONTWRITEBYTECODE := 1
# The widget's own origin as browsers address it (CORS and the websocket check); behind a proxy, set
# it to the public https origin.
export INFOSHARE_PUBLIC_ORIGIN ?= http://localhost:$(PORT)

.PHONY: run test bench setup migrate browser proxy clean

$(STAMPS):
	mkdir -p $@

# Python dependencies, pinned in pyproject.toml.
$(STAMPS)/python: pyproject.toml | $(STAMPS)
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Reflex runs its frontend build with bun; bun comes from the npm registry (its own download
# site is not reachable from every machine).
$(STAMPS)/bun: | $(STAMPS)
	npm install --silent --no-audit --no-fund --prefix $(TOOLS) bun@$(BUN_VERSION)
	$(TOOLS)/node_modules/.bin/bun --version
	touch $@

setup: $(STAMPS)/python $(STAMPS)/bun

migrate: setup
	$(VENV)/bin/python -m infoshare_widget migrate

run: migrate
	$(VENV)/bin/python -m infoshare_widget serve run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

# Debian's Chromium: Playwright's own browser download is not reachable here.
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) && $(CHROMIUM) --version

# Debian's nginx with its Brotli module, for the test that runs two instances behind it
# (deploy/nginx.conf.template). The package's own service may fail to start where port 80 is taken or
# there is no init: the tests start nginx themselves, so only the program is needed.
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
proxy:
	@test -x /usr/sbin/nginx -a -f $(NGINX_BROTLI) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-http-brotli-static >/dev/null || true; }
	@test -x /usr/sbin/nginx && test -f $(NGINX_BROTLI) && /usr/sbin/nginx -v

test: migrate browser proxy
	$(VENV)/bin/python -m pytest

bench: migrate browser
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(STAMPS) .web .states
