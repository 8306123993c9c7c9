// Package access holds who may sign in to a community and how: the
// credentials its administrators and workers issue (bearer tokens for
// programs and workers, sign-in cards for residents), the sessions a
// sign-in opens, and the record of every issue, revocation and sign-in.
//
// A credential names a principal (grids.Principal) but never decides what
// an office allows: the services read the positions held at the time of
// each request (the live-authority rule), so a credential issued to a
// committee chair loses the chair's powers the day the term ends.
//
// Secrets are never stored: a token, a card's short code and its one-time
// link are shown once, when issued, and kept as SHA-256 hashes. A token
// names its community and credential ("linli_<community>_<id>_<secret>"),
// so it is checked with one read by key.
//
// The Store is a record.Store over three tables; adapters/memstore and
// adapters/sqlstore implement it, and accesstest.RunStoreTests is the
// contract they pass.
package access
