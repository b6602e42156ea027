#!/usr/bin/env bash
# kill -9 durability campaign: ROUNDS rounds (default 40) of saves and
# deletes against the real server, each ended by SIGKILL; then every
# acknowledged save must be there, every acknowledged delete gone, and
# SQLite's integrity_check must say ok. CI runs 3 rounds of the same test.
#   bash scripts/durability.sh [ROUNDS]
# (scripts/campaign.sh runs it after the long property campaign.)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/campaign.sh 0 "${1:-40}"
