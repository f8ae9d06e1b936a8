#!/bin/sh
# The API from another system, with curl and a token only (README, "The API"):
#   1. export SZ-3's placements, every page, into sz3-placements.json;
#   2. change the first one's status, sending the ETag it was read with (If-Match);
#   3. dry-run a roster for SZ-3: what an import would do, nothing written.
#
#   CADREPROG=https://cadres.example.org TOKEN=cp_… sh docs/api-example.sh roster.xlsx [status]
#
# The token comes from `manage.py api_token USERNAME` (staff: a lead may not import rosters).
# The status is one of pending, checked_in, on_site, completed, withdrawn (default on_site).
set -eu
: "${CADREPROG:?the site, e.g. http://127.0.0.1:8000}"
: "${TOKEN:?a personal token: manage.py api_token USERNAME}"
roster=${1:?a roster file (xlsx, xls or csv) to dry-run}
status=${2:-on_site}
api="$CADREPROG/api/v1"
auth="Authorization: Bearer $TOKEN"

# 1. Export. Each answer is {"next":…,"previous":…,"results":[…]}; follow "next" until it is null.
# One page a line in the file (up to 500 placements a page: a batch fits in one).
url="$api/placements/?batch=SZ-3&page_size=500"
: >sz3-placements.json
while [ -n "$url" ]; do
    page=$(curl -sS --fail-with-body -H "$auth" "$url")
    printf '%s\n' "$page" >>sz3-placements.json
    url=$(printf '%s' "$page" | sed -n 's/^{"next":"\([^"]*\)".*/\1/p')
done
echo "SZ-3's placements: sz3-placements.json"

# 2. Change one placement. Its ETag is its version ("7"); If-Match sends it back, so that a change
# made by someone else since is not overwritten: then the answer is 412, with what they changed,
# and nothing is saved (read it again and decide).
id=$(sed -n '1s/.*"results":\[{"id":\([0-9]*\),.*/\1/p' sz3-placements.json)
etag=$(curl -sS --fail-with-body -o /dev/null -D - -H "$auth" "$api/placements/$id/" |
    tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
echo "placement $id, ETag $etag: status → $status"
curl -sS --fail-with-body -X PATCH -H "$auth" -H "If-Match: $etag" \
    -H "Content-Type: application/json" -d "{\"status\": \"$status\"}" "$api/placements/$id/"
echo

# 3. Dry-run a roster: the same JSON as `manage.py import_roster --json --dry-run`; 400 with the
# file's problems (sheet, row, column) when it has any. A large file is checked in the background:
# 202, and GET the "url" of the answer until "finished" is true.
curl -sS --fail-with-body -H "$auth" -F "file=@$roster" -F batch=SZ-3 -F dry_run=true \
    "$api/roster-imports/"
echo
