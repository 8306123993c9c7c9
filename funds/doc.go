// Package funds will run the "1+1+1" project call (one committee, one social
// organisation, one project): proposals, review, awards and exact,
// earmarked fund accounting with monthly spending reports, and the merchant
// alliance's 10% contributions to the welfare fund.
//
// Not implemented yet: see issue 7. It holds no exported API, so nothing can
// come to depend on a placeholder.
package funds
