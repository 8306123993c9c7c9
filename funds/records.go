package funds

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/record"
)

// FundKind is what a fund is for.
type FundKind string

// Kinds of fund.
const (
	ProjectFund  FundKind = "project"   // the 1+1+1 project fund
	WelfareFund  FundKind = "welfare"   // 社区公益金: the alliance's contributions
	DonationFund FundKind = "donations" // gifts of money
	OtherFund    FundKind = "other"
)

// Fund is a pot of money on the ledger.
type Fund struct {
	ID          string   `json:"id"`
	CommunityID string   `json:"community_id"`
	Kind        FundKind `json:"kind"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	// Basis, on the welfare fund, is what the alliance's contributions are
	// a share of: its takings or its earnings (empty: takings).
	Basis     Basis     `json:"basis,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Balance is read from the ledger; the record stores zero.
	Balance decimal.Decimal `json:"balance"`
}

// Basis is what the alliance's merchants contribute a share of. The case
// says 收益 (earnings); linli's default, where the alliance has not said,
// is takings, the simpler figure a shop knows.
type Basis string

// The bases of the alliance's contributions.
const (
	OnTakings  Basis = "takings"  // 营业额: what the merchant took in
	OnEarnings Basis = "earnings" // 收益: what the merchant earned, after costs
)

// Keys: the kind; the time it was set up.
func (f Fund) Keys() record.Keys {
	return record.Keys{ID: f.ID, CommunityID: f.CommunityID, Status: string(f.Kind), At: f.CreatedAt}
}

// SourceKind is where money came from.
type SourceKind string

// Kinds of source.
const (
	FromGovernment   SourceKind = "government"
	FromMerchant     SourceKind = "merchant"
	FromDonor        SourceKind = "donor"
	FromResident     SourceKind = "resident"
	FromOrganisation SourceKind = "organisation"
	FromOther        SourceKind = "other"
)

// Source is who paid money in.
type Source struct {
	Kind SourceKind `json:"kind" validate:"oneof=government merchant donor resident organisation other"`
	ID   string     `json:"id,omitempty" validate:"omitempty,max=64,text"`
	Name string     `json:"name" validate:"required,text,max=100"`
}

// Income is money paid into a fund: an allocation, a donation, a
// merchant's contribution.
type Income struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	FundID      string          `json:"fund_id"`
	Source      Source          `json:"source"`
	Amount      decimal.Decimal `json:"amount"`
	Date        time.Time       `json:"date"`
	Period      string          `json:"period,omitempty"` // a contribution's month, 2006-01
	Reference   string          `json:"reference,omitempty"`
	Note        string          `json:"note,omitempty"`
	RecordedBy  string          `json:"recorded_by"`
	CreatedAt   time.Time       `json:"created_at"`
	ReversedAt  *time.Time      `json:"reversed_at,omitempty"`
	ReversedBy  string          `json:"reversed_by,omitempty"`
	Reason      string          `json:"reason,omitempty"`
}

// Keys: the source's ID, the fund, the source's kind, the booking time.
func (i Income) Keys() record.Keys {
	return record.Keys{ID: i.ID, CommunityID: i.CommunityID, ResidentID: i.Source.ID, RefID: i.FundID, Status: string(i.Source.Kind), At: i.CreatedAt}
}

// Criterion is one line of a call's review rubric.
type Criterion struct {
	Key    string          `json:"key" validate:"required,tag"`
	Name   string          `json:"name" validate:"required,text,max=100"`
	Weight decimal.Decimal `json:"weight"`
	Max    int             `json:"max" validate:"gte=1,lte=100"` // the highest score
}

// Reviewer is a member of a call's panel, with the bodies and
// organisations they declared ties to.
type Reviewer struct {
	ResidentID string   `json:"resident_id" validate:"required,ulid"`
	Ties       []string `json:"ties,omitempty" validate:"max=20,dive,ulid"`
}

// Eligibility are a call's rules beyond the 1+1+1 shape.
type Eligibility struct {
	// Categories allowed for budget lines; any if empty.
	Categories []string `json:"categories,omitempty" validate:"max=30,dive,tag"`
	// MaxPerOrganisation bounds the proposals one organisation submits
	// (0: no bound).
	MaxPerOrganisation int `json:"max_per_organisation" validate:"gte=0,lte=100"`
	// RequireNeeds: a proposal names at least one recorded need.
	RequireNeeds bool `json:"require_needs,omitempty"`
}

// CallStatus is where a call is.
type CallStatus string

// The statuses of a call: its window decides open; review closes when
// the workers close it; awarded when the council has awarded it.
const (
	CallUpcoming CallStatus = "upcoming"
	CallOpen     CallStatus = "open"
	CallReview   CallStatus = "review"
	CallReviewed CallStatus = "reviewed"
	CallAwarded  CallStatus = "awarded"
)

// Call is an open call for 1+1+1 proposals on a fund.
type Call struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	FundID      string          `json:"fund_id"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Budget      decimal.Decimal `json:"budget"` // the money available to award
	Cap         decimal.Decimal `json:"cap"`    // per project
	Opens       time.Time       `json:"opens"`
	Closes      time.Time       `json:"closes"` // submissions end; review begins
	Eligibility Eligibility     `json:"eligibility"`
	Rubric      []Criterion     `json:"rubric"`
	Panel       []Reviewer      `json:"panel"`
	// CouncilVote: awards need a recorded council decision.
	CouncilVote bool       `json:"council_vote"`
	Status      CallStatus `json:"status"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
	AwardedAt   *time.Time `json:"awarded_at,omitempty"`
	DecisionID  string     `json:"decision_id,omitempty"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Keys: the fund, the stored status, the opening.
func (c Call) Keys() record.Keys {
	return record.Keys{ID: c.ID, CommunityID: c.CommunityID, RefID: c.FundID, Status: string(c.Status), At: c.Opens}
}

// Line is a budget line.
type Line struct {
	Key      string `json:"key" validate:"required,tag"`
	Category string `json:"category" validate:"required,tag"`
	// Name is the line as people read it ("助餐服务费"); the key if empty.
	Name          string          `json:"name,omitempty" validate:"omitempty,text,max=100"`
	Amount        decimal.Decimal `json:"amount"`
	Justification string          `json:"justification,omitempty" validate:"omitempty,multiline,max=1000"`
}

// ProposalStatus is where a proposal is.
type ProposalStatus string

// The statuses of a proposal.
const (
	Draft     ProposalStatus = "draft"
	Submitted ProposalStatus = "submitted"
	Withdrawn ProposalStatus = "withdrawn"
	Awarded   ProposalStatus = "awarded"
	Declined  ProposalStatus = "declined"
)

// Proposal is one committee, one organisation, one project.
type Proposal struct {
	ID             string          `json:"id"`
	CommunityID    string          `json:"community_id"`
	CallID         string          `json:"call_id"`
	CommitteeID    string          `json:"committee_id"`
	OrganisationID string          `json:"organisation_id"`
	Title          string          `json:"title"`
	Goals          string          `json:"goals"`
	NeedIDs        []string        `json:"need_ids"`
	Start          time.Time       `json:"start"`
	End            time.Time       `json:"end"`
	Lines          []Line          `json:"lines"`
	Request        decimal.Decimal `json:"request"` // the lines' sum
	Status         ProposalStatus  `json:"status"`
	Owner          string          `json:"owner"` // the principal who drafted it
	SubmittedAt    *time.Time      `json:"submitted_at,omitempty"`
	GrantID        string          `json:"grant_id,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// Keys: the organisation, the call, the status, the drafting time.
func (p Proposal) Keys() record.Keys {
	return record.Keys{ID: p.ID, CommunityID: p.CommunityID, ResidentID: p.OrganisationID, RefID: p.CallID, Status: string(p.Status), At: p.CreatedAt}
}

// Review is one panel member's scores of one proposal.
type Review struct {
	ID          string         `json:"id"`
	CommunityID string         `json:"community_id"`
	CallID      string         `json:"call_id"`
	ProposalID  string         `json:"proposal_id"`
	ReviewerID  string         `json:"reviewer_id"` // a resident
	Scores      map[string]int `json:"scores"`
	Comment     string         `json:"comment,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// Keys: the reviewer, the proposal, the call, the time.
func (r Review) Keys() record.Keys {
	return record.Keys{ID: r.ID, CommunityID: r.CommunityID, ResidentID: r.ReviewerID, RefID: r.ProposalID, Status: r.CallID, At: r.CreatedAt}
}

// Instalment is part of a grant released on a date.
type Instalment struct {
	Seq        int             `json:"seq"`
	Due        time.Time       `json:"due"`
	Amount     decimal.Decimal `json:"amount"`
	ReleasedAt *time.Time      `json:"released_at,omitempty"`
	ReleasedBy string          `json:"released_by,omitempty"`
}

// Grant is the agreement of an awarded proposal: its amount, its budget
// lines and its instalments.
type Grant struct {
	ID             string          `json:"id"`
	CommunityID    string          `json:"community_id"`
	CallID         string          `json:"call_id"`
	ProposalID     string          `json:"proposal_id"`
	FundID         string          `json:"fund_id"`
	Title          string          `json:"title"`
	CommitteeID    string          `json:"committee_id"`
	OrganisationID string          `json:"organisation_id"`
	Amount         decimal.Decimal `json:"amount"`
	Partial        bool            `json:"partial,omitempty"`
	Lines          []Line          `json:"lines"`
	Instalments    []Instalment    `json:"instalments"`
	Score          decimal.Decimal `json:"score"`
	Rank           int             `json:"rank"`
	DecisionID     string          `json:"decision_id,omitempty"`
	AwardedBy      string          `json:"awarded_by"`
	AwardedAt      time.Time       `json:"awarded_at"`
}

// Keys: the proposal, the call, the award time.
func (g Grant) Keys() record.Keys {
	return record.Keys{ID: g.ID, CommunityID: g.CommunityID, ResidentID: g.ProposalID, RefID: g.CallID, At: g.AwardedAt}
}

// SpendingKind is what a spending record is.
type SpendingKind string

// Kinds of spending record: a payment, money a payee gave back, a
// payment recorded wrongly and reversed.
const (
	Spend      SpendingKind = "spend"
	Refund     SpendingKind = "refund"
	Correction SpendingKind = "correction"
)

// Spending is money paid from a grant on a budget line, or its reversal.
type Spending struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	GrantID     string          `json:"grant_id"`
	Kind        SpendingKind    `json:"kind"`
	Line        string          `json:"line"`
	Amount      decimal.Decimal `json:"amount"` // positive; a refund or correction gives it back
	Payee       string          `json:"payee"`
	ReceiptRef  string          `json:"receipt_ref,omitempty"`
	ApprovedBy  string          `json:"approved_by"`
	Date        time.Time       `json:"date"` // on the receipt
	Note        string          `json:"note,omitempty"`
	Reverses    string          `json:"reverses,omitempty"` // the spend a refund or correction reverses
	RecordedBy  string          `json:"recorded_by"`
	CreatedAt   time.Time       `json:"created_at"` // booked
}

// Keys: the spend reversed (for refunds and corrections), the grant, the
// kind, the booking time.
func (s Spending) Keys() record.Keys {
	return record.Keys{ID: s.ID, CommunityID: s.CommunityID, ResidentID: s.Reverses, RefID: s.GrantID, Status: string(s.Kind), At: s.CreatedAt}
}

// Merchant is a member of the convenience alliance (便民服务联盟).
type Merchant struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	Name        string          `json:"name"`
	PrincipalID string          `json:"principal_id,omitempty"` // the merchant's sign-in, who sees their own figures
	Rate        decimal.Decimal `json:"rate"`                   // of takings given, 0.1 by default
	Contact     string          `json:"contact,omitempty"`
	JoinedAt    time.Time       `json:"joined_at"`
	LeftAt      *time.Time      `json:"left_at,omitempty"`
	CreatedBy   string          `json:"created_by"`
}

// Keys: the merchant's principal, the time they joined.
func (m Merchant) Keys() record.Keys {
	return record.Keys{ID: m.ID, CommunityID: m.CommunityID, ResidentID: m.PrincipalID, At: m.JoinedAt}
}

// Declaration is a merchant's takings for a month and the contribution
// due on them.
type Declaration struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	MerchantID  string          `json:"merchant_id"`
	Period      string          `json:"period"` // 2006-01
	Takings     decimal.Decimal `json:"takings"`
	// Earnings, declared where the alliance contributes on earnings.
	Earnings   decimal.Decimal `json:"earnings"`
	Basis      Basis           `json:"basis"` // what Due is a share of
	Rate       decimal.Decimal `json:"rate"`
	Due        decimal.Decimal `json:"due"` // takings or earnings × rate, half-up to the fen
	DeclaredBy string          `json:"declared_by"`
	At         time.Time       `json:"at"`
}

// Keys: the merchant, the period, the time.
func (d Declaration) Keys() record.Keys {
	return record.Keys{ID: d.ID, CommunityID: d.CommunityID, RefID: d.MerchantID, Status: d.Period, At: d.At}
}

var (
	_ record.Keyed = Fund{}
	_ record.Keyed = Income{}
	_ record.Keyed = Call{}
	_ record.Keyed = Proposal{}
	_ record.Keyed = Review{}
	_ record.Keyed = Grant{}
	_ record.Keyed = Spending{}
	_ record.Keyed = Merchant{}
	_ record.Keyed = Declaration{}
)
