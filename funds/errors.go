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
	ErrNotMember   = errs.NewRule(errs.Forbidden, "funds.not_member", "only members of a community use its funds")
	ErrWorkersOnly = errs.NewRule(errs.Forbidden, "funds.workers_only", "community workers keep the funds, run calls and record spending")
	ErrNotDrafter  = errs.NewRule(errs.Forbidden, "funds.not_drafter", "a proposal is edited by whoever drafted it for its organisation, or by workers")
	ErrNotOnPanel  = errs.NewRule(errs.Forbidden, "funds.not_on_panel", "only the call's panel scores proposals and sees its reviews")
	ErrRecused     = errs.NewRule(errs.Forbidden, "funds.recused", "a panel member tied to a proposal's committee or organisation does not score it")
	ErrCouncilOnly = errs.NewRule(errs.Forbidden, "funds.council_only", "only the council awards: a council member, or a worker recording the council's decision")
	ErrNotMerchant = errs.NewRule(errs.Forbidden, "funds.not_the_merchant", "merchants see and declare their own contributions; workers see all")

	// Calls, proposals and review.
	ErrCallState        = errs.NewRule(errs.FailedPrecondition, "funds.call_state", "a call changes before it opens, takes proposals while open, is reviewed once closed and awarded once reviewed")
	ErrProposalState    = errs.NewRule(errs.FailedPrecondition, "funds.proposal_state", "a proposal changes while a draft, is submitted once and withdrawn before the award")
	ErrOutsideWindow    = errs.NewRule(errs.FailedPrecondition, "funds.outside_window", "proposals are submitted within the call's window")
	ErrIneligible       = errs.NewRule(errs.FailedPrecondition, "funds.ineligible", "a proposal meets the call's rules: one committee, one organisation, its categories, its cap, its needs")
	ErrTooManyProposals = errs.NewRule(errs.FailedPrecondition, "funds.too_many_proposals", "an organisation submits no more proposals to a call than it allows")
	ErrScoresLocked     = errs.NewRule(errs.FailedPrecondition, "funds.scores_locked", "scores are locked when the review closes")

	// Money.
	ErrFundShort          = errs.NewRule(errs.FailedPrecondition, "funds.fund_short", "money leaves a fund only while the fund holds it")
	ErrNotReleased        = errs.NewRule(errs.FailedPrecondition, "funds.not_released", "a grant's money is spent only once released")
	ErrBudgetLineExceeded = errs.NewRule(errs.FailedPrecondition, "funds.line_exceeded", "spending on a budget line never passes its budget")
	ErrNotAPayment        = errs.NewRule(errs.FailedPrecondition, "funds.not_a_payment", "only a payment is refunded or corrected")
	ErrReversalExceeds    = errs.NewRule(errs.FailedPrecondition, "funds.reversal_exceeds", "a payment is given back for no more than is left of it")

	// The alliance.
	ErrNoWelfareFund   = errs.NewRule(errs.FailedPrecondition, "funds.no_welfare_fund", "contributions are paid into the community's welfare fund, which a worker sets up first")
	ErrDeclaredAlready = errs.NewRule(errs.Conflict, "funds.declared_already", "a merchant declares a month's takings once")
	ErrPrincipalTaken  = errs.NewRule(errs.Conflict, "funds.principal_taken", "a principal acts for one merchant")

	// IDs that make retries safe.
	ErrIDReused = errs.NewRule(errs.Conflict, "funds.id_reused", "an ID chosen by the client names one record: a retry repeats its details")
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
