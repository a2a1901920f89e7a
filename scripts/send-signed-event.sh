#!/usr/bin/env bash
# Sends a JSON file to clerk-sync as Svix would: a fresh svix-id, the current time, and a v1
# signature made with CLERK_WEBHOOK_SECRET. Prints the response.
#   usage: CLERK_WEBHOOK_SECRET=whsec_... scripts/send-signed-event.sh FILE [URL]
set -euo pipefail
file=${1:?usage: $0 FILE [URL]}
url=${2:-http://localhost:8080/api/webhooks/clerk}
secret=${CLERK_WEBHOOK_SECRET:?set CLERK_WEBHOOK_SECRET to the secret the service uses}
secret=${secret%%[ ,]*}   # with several secrets, sign with the first

id="msg_$(date +%s%N)"
timestamp=$(date +%s)
key_hex=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
signature=$( { printf '%s.%s.' "$id" "$timestamp"; cat "$file"; } \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)

curl -sS -i -X POST "$url" \
  -H "svix-id: $id" -H "svix-timestamp: $timestamp" -H "svix-signature: v1,$signature" \
  -H 'Content-Type: application/json' --data-binary @"$file"
echo
