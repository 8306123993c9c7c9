package points

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/record"
)

// Policy is a version of a community's accrual policy. Versions are never
// changed: a new policy is a new version, and every transfer records the
// version that priced it.
type Policy struct {
	CommunityID string `json:"community_id"`
	Version     int    `json:"version"`
	PolicyInput
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Keys: the version is the ID, zero-padded so IDs sort as versions do.
func (p Policy) Keys() record.Keys {
	return record.Keys{ID: policyID(p.Version), CommunityID: p.CommunityID, At: p.CreatedAt}
}

func policyID(v int) string { return fmt.Sprintf("%010d", v) }

// PolicyVersion parses a policy's ID.
func PolicyVersion(id string) (int, error) { return strconv.Atoi(id) }

// ClaimStatus is where a service claim is.
type ClaimStatus string

// The statuses of a claim: claimed (points pending), verified (posted),
// rejected (voided), corrected (posted, then reversed).
const (
	Claimed   ClaimStatus = "claimed"
	Verified  ClaimStatus = "verified"
	Rejected  ClaimStatus = "rejected"
	Corrected ClaimStatus = "corrected"
)

// Evidence backs a claim: at least one of a note, a photo reference or
// the sign-in sheet.
type Evidence struct {
	Note     string `json:"note,omitempty" validate:"omitempty,multiline,max=1000"`
	PhotoRef string `json:"photo_ref,omitempty" validate:"omitempty,text,max=300"`
	SignIn   bool   `json:"sign_in,omitempty"`
}

// Claim is a service record: a resident's minutes at an activity, the
// points they earn, and who verified them.
type Claim struct {
	ID            string          `json:"id"`
	CommunityID   string          `json:"community_id"`
	ActivityID    string          `json:"activity_id"`
	ResidentID    string          `json:"resident_id"`
	Service       string          `json:"service"`        // the activity's kind of service
	ActivityStart time.Time       `json:"activity_start"` // when the service was given
	Minutes       int             `json:"minutes"`
	Leading       bool            `json:"leading,omitempty"`
	Evidence      Evidence        `json:"evidence"`
	PolicyVersion int             `json:"policy_version"`
	Computed      decimal.Decimal `json:"computed"` // by the policy, before caps
	Points        decimal.Decimal `json:"points"`   // awarded
	Capped        []string        `json:"capped,omitempty"`
	Status        ClaimStatus     `json:"status"`
	ClaimedBy     string          `json:"claimed_by"`
	ClaimedAt     time.Time       `json:"claimed_at"`
	VerifiedBy    string          `json:"verified_by,omitempty"`
	VerifiedAt    *time.Time      `json:"verified_at,omitempty"`
	Note          string          `json:"note,omitempty"`
	CorrectedBy   string          `json:"corrected_by,omitempty"`
	CorrectedAt   *time.Time      `json:"corrected_at,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

// Keys: the resident, the activity, the status, the time of service.
func (c Claim) Keys() record.Keys {
	return record.Keys{ID: c.ID, CommunityID: c.CommunityID, ResidentID: c.ResidentID, RefID: c.ActivityID, Status: string(c.Status), At: c.ActivityStart}
}

// Hours is the claim's service in exact hours.
func (c Claim) Hours() decimal.Decimal {
	return decimal.NewFromInt(int64(c.Minutes)).Div(decimal.NewFromInt(60))
}

// PartyKind is who a donor or provider is.
type PartyKind string

// Kinds of party.
const (
	PartyResident     PartyKind = "resident"
	PartyEnterprise   PartyKind = "enterprise"
	PartyOrganisation PartyKind = "organisation"
	PartyPartner      PartyKind = "partner"
)

// Party is a donor or a provider of a service: a resident (by ID), or an
// enterprise, organisation or partner (by ID if the community records
// them, and by name).
type Party struct {
	Kind PartyKind `json:"kind" validate:"oneof=resident enterprise organisation partner"`
	ID   string    `json:"id,omitempty" validate:"omitempty,max=64,text"`
	Name string    `json:"name" validate:"required,text,max=100"`
}

// key identifies the party in totals.
func (p Party) key() string {
	if p.ID != "" {
		return string(p.Kind) + "/" + p.ID
	}
	return string(p.Kind) + ":" + p.Name
}

// ItemKind is goods or a service.
type ItemKind string

// Kinds of catalogue item.
const (
	ItemGoods   ItemKind = "goods"
	ItemService ItemKind = "service"
)

// Item is an entry of the warehouse catalogue: goods, or a service
// offered by a resident or partner in limited slots. Its stock lives on
// the ledger.
type Item struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	Kind        ItemKind        `json:"kind"`
	Name        string          `json:"name"`
	Unit        string          `json:"unit"`
	Price       decimal.Decimal `json:"price"` // points per unit
	Provider    *Party          `json:"provider,omitempty"`
	Description string          `json:"description,omitempty"`
	Retired     bool            `json:"retired,omitempty"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	// Stock is read from the ledger (units on the shelf, not reserved);
	// the record stores zero.
	Stock int64 `json:"stock"`
}

// Keys: the kind, active or retired, the time it was listed.
func (it Item) Keys() record.Keys {
	st := "active"
	if it.Retired {
		st = "retired"
	}
	return record.Keys{ID: it.ID, CommunityID: it.CommunityID, RefID: string(it.Kind), Status: st, At: it.CreatedAt}
}

// Donation is goods given to the warehouse, or slots of a service offered.
type Donation struct {
	ID          string     `json:"id"`
	CommunityID string     `json:"community_id"`
	Donor       Party      `json:"donor"`
	ItemID      string     `json:"item_id"`
	Quantity    int64      `json:"quantity"`
	Date        time.Time  `json:"date"`
	Condition   string     `json:"condition"`
	BestBefore  *time.Time `json:"best_before,omitempty"`
	Note        string     `json:"note,omitempty"`
	RecordedBy  string     `json:"recorded_by"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Keys: the donor's ID, the item, the donor's kind, the date.
func (d Donation) Keys() record.Keys {
	return record.Keys{ID: d.ID, CommunityID: d.CommunityID, ResidentID: d.Donor.ID, RefID: d.ItemID, Status: string(d.Donor.Kind), At: d.Date}
}

// ExchangeStatus is where an exchange is.
type ExchangeStatus string

// The statuses of an exchange.
const (
	Reserved  ExchangeStatus = "reserved"  // points and items held until pickup
	Completed ExchangeStatus = "completed" // handed over
	Cancelled ExchangeStatus = "cancelled" // a reservation called off
	Lapsed    ExchangeStatus = "expired"   // a reservation not picked up in time
	Returned  ExchangeStatus = "returned"  // handed back: points and items reversed
)

// Exchange is points for goods or a service at the warehouse.
type Exchange struct {
	ID            string          `json:"id"`
	CommunityID   string          `json:"community_id"`
	ResidentID    string          `json:"resident_id"`
	ItemID        string          `json:"item_id"`
	Quantity      int64           `json:"quantity"`
	Price         decimal.Decimal `json:"price"`
	Points        decimal.Decimal `json:"points"`
	Status        ExchangeStatus  `json:"status"`
	MarketID      string          `json:"market_id,omitempty"`
	PolicyVersion int             `json:"policy_version"`
	ExpiresAt     *time.Time      `json:"expires_at,omitempty"`
	CreatedBy     string          `json:"created_by"`
	CreatedAt     time.Time       `json:"created_at"`
	CompletedAt   *time.Time      `json:"completed_at,omitempty"`
	ClosedBy      string          `json:"closed_by,omitempty"`
	ClosedAt      *time.Time      `json:"closed_at,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

// Keys: the resident, the item, the status, when it was made.
func (e Exchange) Keys() record.Keys {
	return record.Keys{ID: e.ID, CommunityID: e.CommunityID, ResidentID: e.ResidentID, RefID: e.ItemID, Status: string(e.Status), At: e.CreatedAt}
}

// GiftStatus is where a gift is.
type GiftStatus string

// A gift is recorded in the transaction that moves its points, so it is
// given; a gift refused (for want of points, or over the cap) leaves no
// record.
const GiftGiven GiftStatus = "given"

// Gift is points given to a member of one's household.
type Gift struct {
	ID            string          `json:"id"`
	CommunityID   string          `json:"community_id"`
	FromID        string          `json:"from_id"`
	ToID          string          `json:"to_id"`
	Points        decimal.Decimal `json:"points"`
	Note          string          `json:"note,omitempty"`
	Status        GiftStatus      `json:"status"`
	PolicyVersion int             `json:"policy_version"`
	At            time.Time       `json:"at"`
}

// Keys: the giver, the receiver, the status, the time.
func (g Gift) Keys() record.Keys {
	return record.Keys{ID: g.ID, CommunityID: g.CommunityID, ResidentID: g.FromID, RefID: g.ToID, Status: string(g.Status), At: g.At}
}

// Expiry is a resident's points of an earning year that expired.
type Expiry struct {
	ID            string          `json:"id"`
	CommunityID   string          `json:"community_id"`
	ResidentID    string          `json:"resident_id"`
	Year          int             `json:"year"`
	Points        decimal.Decimal `json:"points"`
	PolicyVersion int             `json:"policy_version"`
	At            time.Time       `json:"at"`
	By            string          `json:"by"`
}

// Keys: the resident, the earning year, the time.
func (e Expiry) Keys() record.Keys {
	return record.Keys{ID: e.ID, CommunityID: e.CommunityID, ResidentID: e.ResidentID, RefID: strconv.Itoa(e.Year), At: e.At}
}

// Stall is a place at a market.
type Stall struct {
	Name string `json:"name" validate:"required,text,max=100"`
	Kind string `json:"kind" validate:"oneof=exchange service sign_up donation information"`
	Host *Party `json:"host,omitempty"`
}

// Market is a monthly market event (义集).
type Market struct {
	ID          string    `json:"id"`
	CommunityID string    `json:"community_id"`
	Title       string    `json:"title"`
	Date        time.Time `json:"date"`
	Place       string    `json:"place"`
	Stalls      []Stall   `json:"stalls"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Keys: the date.
func (m Market) Keys() record.Keys {
	return record.Keys{ID: m.ID, CommunityID: m.CommunityID, At: m.Date}
}

// SignUp is a resident joining a mutual-aid group at a market's sign-up
// corner.
type SignUp struct {
	ID          string    `json:"id"`
	CommunityID string    `json:"community_id"`
	MarketID    string    `json:"market_id"`
	ResidentID  string    `json:"resident_id"`
	GroupID     string    `json:"group_id"`
	PositionID  string    `json:"position_id,omitempty"` // the membership, when the group was joined at once
	RecordedBy  string    `json:"recorded_by"`
	At          time.Time `json:"at"`
}

// Keys: the resident, the market, the group, the time.
func (s SignUp) Keys() record.Keys {
	return record.Keys{ID: s.ID, CommunityID: s.CommunityID, ResidentID: s.ResidentID, RefID: s.MarketID, Status: s.GroupID, At: s.At}
}

var (
	_ record.Keyed = Policy{}
	_ record.Keyed = Claim{}
	_ record.Keyed = Item{}
	_ record.Keyed = Donation{}
	_ record.Keyed = Exchange{}
	_ record.Keyed = Gift{}
	_ record.Keyed = Expiry{}
	_ record.Keyed = Market{}
	_ record.Keyed = SignUp{}
)
