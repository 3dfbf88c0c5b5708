#!/usr/bin/env bash
# Starts storepilot on its embedded store; filled in by the foundation work.
set -euo pipefail
cd "$(dirname "$0")/.."
exec build/bin/storepilot --help
