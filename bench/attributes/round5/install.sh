#!/usr/bin/env bash
# Installs V24's contact_attribute_window, as V24 defined it, under the name contact_attribute_window_round5 in the
# database DB, so that round 5's statements (this folder) measure V24's function after V26 has replaced it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
sed -n '/^CREATE FUNCTION contact_attribute_window(/,$p' src/main/resources/db/migration/V24__attribute_sorted_page_function.sql \
  | sed 's/^CREATE FUNCTION contact_attribute_window(/CREATE OR REPLACE FUNCTION contact_attribute_window_round5(/' \
  | psql -q -v ON_ERROR_STOP=1 -d "$DB"
