#!/bin/sh
# Regenerates the certificate fixtures. Needs Go and OpenSSL 3.
set -eu
cd "$(dirname "$0")"
go run ./gen
# OpenSSL 3's default PKCS#12: PBES2/AES-256-CBC, SHA-256 MAC.
openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem -name graphql -passout pass:Test1234! -out aes.p12
# The legacy format older tools write: RC2/3DES with a SHA-1 MAC.
openssl pkcs12 -export -legacy -in leaf.pem -inkey leaf.key -certfile ca.pem -name graphql -passout pass:Test1234! -out legacy.p12 2>/dev/null ||
	openssl pkcs12 -export -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1 -in leaf.pem -inkey leaf.key -certfile ca.pem -name graphql -passout pass:Test1234! -out legacy.p12
# A certificate with a key that is not its own.
openssl pkcs12 -export -in leaf.pem -inkey other.key -passout pass:Test1234! -out mismatch.p12 2>/dev/null || true
openssl pkcs12 -export -in expired.pem -inkey expired.key -passout pass:Test1234! -out expired.p12
openssl x509 -in leaf.pem -noout -fingerprint -sha1 | sed 's/.*=//' > leaf.sha1
