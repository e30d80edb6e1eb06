#!/usr/bin/env bash
# Renders the built-in demo report: three PDFs and the HTML site, into DIR (default: demo-output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/esg-author demo "${1:-demo-output}"
