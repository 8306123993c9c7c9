// Package funds runs the "1+1+1" project call (一个委员会 + 一个社会组织 +
// 一个项目: one committee, one social organisation, one project) and keeps
// the books of what it funds, with the merchant alliance's contributions
// to the community welfare fund (社区公益金).
//
//   - A Call opens a fund's money to proposals in a submission window,
//     with a per-project cap, eligibility rules, a weighted rubric and a
//     panel. A Proposal pairs exactly one committee with one organisation
//     on one project, answering recorded needs, with budget lines that sum
//     to its request; ineligible ones are refused with the reason.
//   - Panel members Score proposals; a reviewer who holds a position in the
//     proposal's committee, or declared a tie to it or to the organisation,
//     is recused. CloseReview locks the scores; Ranking orders proposals by
//     weighted score (ties: the smaller request, then the earlier
//     submission); Award funds them greedily within the money available,
//     on a council decision, in full or in part.
//   - Money is decimal.Decimal yuan at every boundary and fen on the
//     ledger: an amount with more than two decimal places is refused, and
//     a rate (the alliance's 10%) is applied half-up to the fen. A grant
//     moves money from the fund to the project's earmarked account and
//     gives each budget line its budget; an instalment releases money to
//     spend; spending is a linked pair (money, and the line's budget), so
//     it can exceed neither the line nor the money released. Refunds and
//     corrections are reversing transfers.
//   - Monthly reports (每月通报) and fund statements are read from the
//     ledger's history by booking time, so a closed month's report never
//     changes: a later correction appears in the month it is made. The
//     trial balance always sums to zero.
//   - The books never disagree with the records: every income, grant,
//     release, payment and reversal moves its money and writes its record
//     in one Store transaction (Tx.Ledger), and runs to its end when its
//     caller goes away (within Options.CommandTimeout); transfer IDs derive
//     from the community and the record, so a retry changes nothing. Audit
//     reconciles a community's records with its ledger.
//
// Stores: adapters/memstore and adapters/sqlstore; fundstest is the
// contract they pass.
package funds
