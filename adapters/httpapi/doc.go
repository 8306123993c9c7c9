// Package httpapi serves linli over HTTP as JSON: the community registry,
// its summary and CSV import under /v1/communities/{community}/…, plus
// GET /healthz and GET /openapi.json (the OpenAPI 3.1 document, which the
// tests hold every exchange to).
//
// Requests authenticate with bearer tokens that grids/access issues (its
// Service is Config.Access; only hashes of secrets are stored), or with
// the deployment's own Config.Authenticate hook. The principal acts in the
// request's context, and the domain services decide what it may do. The
// credentials' routes (/v1/setup, …/credentials, …/credential-events)
// issue, list and revoke them; failed tokens are counted per address and
// per credential and refused with 429 and Retry-After past a limit
// (Limiter); Config.Metrics receives Prometheus metrics.
//
// Every error is an RFC 9457 problem document (application/problem+json)
// with a stable code and, for invalid input, the fields at fault. Bodies
// are size-limited, must be valid UTF-8 JSON objects with no unknown
// fields; query parameters are checked too, and unknown ones refused.
package httpapi
