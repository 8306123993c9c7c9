package funds

import (
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// The rules of the funds that refuse. Each is a *grids.Rule:
// errors.Is(err, funds.ErrRecused) tests for one, errors.Is(err, grids.Forbidden)
// for its code (the codes are grids'), and HTTP problems carry its name.
var (
	// Who may do what.
	ErrNotMember   = grids.NewRule(grids.Forbidden, "funds.not_member", "only members of a community use its funds")
	ErrWorkersOnly = grids.NewRule(grids.Forbidden, "funds.workers_only", "community workers keep the funds, run calls and record spending")
	ErrNotDrafter  = grids.NewRule(grids.Forbidden, "funds.not_drafter", "a proposal is edited by whoever drafted it for its organisation, or by workers")
	ErrNotOnPanel  = grids.NewRule(grids.Forbidden, "funds.not_on_panel", "only the call's panel scores proposals and sees its reviews")
	ErrRecused     = grids.NewRule(grids.Forbidden, "funds.recused", "a panel member tied to a proposal's committee or organisation does not score it")
	ErrCouncilOnly = grids.NewRule(grids.Forbidden, "funds.council_only", "only the council awards: a council member, or a worker recording the council's decision")
	ErrNotMerchant = grids.NewRule(grids.Forbidden, "funds.not_the_merchant", "merchants see and declare their own contributions; workers see all")

	// Calls, proposals and review.
	ErrCallState        = grids.NewRule(grids.FailedPrecondition, "funds.call_state", "a call changes before it opens, takes proposals while open, is reviewed once closed and awarded once reviewed")
	ErrProposalState    = grids.NewRule(grids.FailedPrecondition, "funds.proposal_state", "a proposal changes while a draft, is submitted once and withdrawn before the award")
	ErrOutsideWindow    = grids.NewRule(grids.FailedPrecondition, "funds.outside_window", "proposals are submitted within the call's window")
	ErrIneligible       = grids.NewRule(grids.FailedPrecondition, "funds.ineligible", "a proposal meets the call's rules: one committee, one organisation, its categories, its cap, its needs")
	ErrTooManyProposals = grids.NewRule(grids.FailedPrecondition, "funds.too_many_proposals", "an organisation submits no more proposals to a call than it allows")
	ErrScoresLocked     = grids.NewRule(grids.FailedPrecondition, "funds.scores_locked", "scores are locked when the review closes")

	// Money.
	ErrFundShort          = grids.NewRule(grids.FailedPrecondition, "funds.fund_short", "money leaves a fund only while the fund holds it")
	ErrNotReleased        = grids.NewRule(grids.FailedPrecondition, "funds.not_released", "a grant's money is spent only once released")
	ErrBudgetLineExceeded = grids.NewRule(grids.FailedPrecondition, "funds.line_exceeded", "spending on a budget line never passes its budget")
	ErrNotAPayment        = grids.NewRule(grids.FailedPrecondition, "funds.not_a_payment", "only a payment is refunded or corrected")
	ErrReversalExceeds    = grids.NewRule(grids.FailedPrecondition, "funds.reversal_exceeds", "a payment is given back for no more than is left of it")

	// The alliance.
	ErrNoWelfareFund   = grids.NewRule(grids.FailedPrecondition, "funds.no_welfare_fund", "contributions are paid into the community's welfare fund, which a worker sets up first")
	ErrDeclaredAlready = grids.NewRule(grids.Conflict, "funds.declared_already", "a merchant declares a month's takings once")
	ErrPrincipalTaken  = grids.NewRule(grids.Conflict, "funds.principal_taken", "a principal acts for one merchant")

	// IDs that make retries safe.
	ErrIDReused = grids.NewRule(grids.Conflict, "funds.id_reused", "an ID chosen by the client names one record: a retry repeats its details")
)

// Refusals are the funds' rules that refuse, for documents that list them.
func Refusals() []*grids.Rule {
	return []*grids.Rule{ErrNotMember, ErrWorkersOnly, ErrNotDrafter, ErrNotOnPanel, ErrRecused, ErrCouncilOnly, ErrNotMerchant, ErrCallState, ErrProposalState,
		ErrOutsideWindow, ErrIneligible, ErrTooManyProposals, ErrScoresLocked, ErrFundShort, ErrNotReleased, ErrBudgetLineExceeded, ErrNotAPayment,
		ErrReversalExceeds, ErrNoWelfareFund, ErrDeclaredAlready, ErrPrincipalTaken, ErrIDReused}
}

// forbidden refuses under a rule of who may do what.
func forbidden(r *grids.Rule) error { return r.Refuse("forbidden: %s", r.Says()) }

func fieldErr(field, format string, args ...any) error { return errs.Field(field, format, args...) }
