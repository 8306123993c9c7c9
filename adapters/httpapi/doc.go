// Package httpapi serves linli over HTTP as JSON: the community registry,
// its summary and CSV import under /v1/communities/{community}/…, plus
// GET /healthz and GET /openapi.json (the OpenAPI 3.1 document, which the
// tests hold every exchange to).
//
// Requests authenticate with bearer tokens (IssueToken makes one; only its
// SHA-256 is stored, by a TokenStore). The token's principal acts in the
// request's context, and the domain services decide what it may do.
//
// Every error is an RFC 9457 problem document (application/problem+json)
// with a stable code and, for invalid input, the fields at fault. Bodies
// are size-limited, must be valid UTF-8 JSON objects with no unknown
// fields; query parameters are checked too, and unknown ones refused.
package httpapi
