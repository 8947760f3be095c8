#!/usr/bin/env bash
# Every test, in order of speed: types, lint, unit, integration (real PostgreSQL), e2e
# (real Chromium). `npm test` runs this; CI runs `npm test` on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint
step "unit + integration tests (Vitest, real PostgreSQL)"
npx vitest run
if [ -f playwright.config.ts ]; then
  step "end-to-end tests (Playwright, Chromium, against a production build)"
  E2E_PROD=1 npx playwright test
fi
