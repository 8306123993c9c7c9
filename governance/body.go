package governance

import (
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// BodyKind is what kind of body a Body is.
type BodyKind string

// The kinds of body.
const (
	Council   BodyKind = "council"    // 邻里伙伴自治理事会: the top tier
	Committee BodyKind = "committee"  // 功能型自治委员会: reports to the council
	Group     BodyKind = "group"      // 互助小组: under a committee, rooted in a district or grid
	ThinkTank BodyKind = "think_tank" // 民生智库: engaged residents, leaders and organisations
)

// Body is the council, a committee, a mutual-aid group or the think tank.
type Body struct {
	ID          string   `json:"id" validate:"ulid"`
	CommunityID string   `json:"community_id" validate:"ulid"`
	Kind        BodyKind `json:"kind" validate:"oneof=council committee group think_tank"`
	// Key names the default bodies Setup makes ("council", "silver" …).
	Key         string `json:"key,omitempty" validate:"omitempty,tag"`
	ParentID    string `json:"parent_id,omitempty" validate:"omitempty,ulid"`
	Name        string `json:"name" validate:"required,text,max=100"`
	ChineseName string `json:"chinese_name,omitempty" validate:"omitempty,text,max=100"`
	Remit       string `json:"remit,omitempty" validate:"omitempty,multiline,max=1000"`
	// Seats bounds the positions a council holds at once (9 in the case),
	// and a group's size (0: no limit).
	Seats int `json:"seats,omitempty" validate:"gte=0,lte=1000"`
	// Tags are a group's purpose: the interests and needs it serves
	// (residents' tags), which RecommendGroups matches.
	Tags []string `json:"tags,omitempty" validate:"max=32,unique,dive,tag"`
	// A group is rooted in a district or a grid, and keeps a schedule.
	DistrictID string `json:"district_id,omitempty" validate:"omitempty,ulid"`
	GridID     string `json:"grid_id,omitempty" validate:"omitempty,ulid"`
	Schedule   string `json:"schedule,omitempty" validate:"omitempty,text,max=200"`
	// Meets is the rule for the body's regular meetings, if it has one.
	Meets *Recurrence `json:"meets,omitempty"`
	// Bylaws of procedure: small-board rules (RONR 49:21) and the quorum
	// (0: a majority of the members).
	SmallBoard bool `json:"small_board,omitempty"`
	Quorum     int  `json:"quorum,omitempty" validate:"gte=0,lte=100"`
	// Proxies: the bylaws allow proxy voting (RONR 45:70 allows it only
	// where they do): a member absent from a meeting may be represented
	// by another member, under a written proxy recorded before it; each
	// member gives and holds at most one. Not allowed by default.
	Proxies bool `json:"proxies,omitempty"`
	grids.Stamps
}

// Validate checks every field and how the kinds nest.
func (b Body) Validate() error {
	if err := validate.Struct(b); err != nil {
		return err
	}
	switch b.Kind {
	case Council, ThinkTank:
		if b.ParentID != "" {
			return errs.Field("parent_id", "the %s reports to no body", b.Kind)
		}
	case Committee, Group:
		if b.ParentID == "" {
			return errs.Field("parent_id", "a %s reports to a %s", b.Kind, map[BodyKind]string{Committee: "council", Group: "committee"}[b.Kind])
		}
	}
	if b.Kind != Group && (b.DistrictID != "" || b.GridID != "" || b.Schedule != "") {
		return errs.Field("district_id", "only groups are rooted in a district or grid and keep a schedule")
	}
	if b.Kind == Group && b.DistrictID == "" && b.GridID == "" {
		return errs.Field("district_id", "a group is rooted in a district or a grid")
	}
	if b.Kind != Council && b.Kind != Group && b.Seats != 0 {
		return errs.Field("seats", "only the council has seats and a group a size")
	}
	if b.Kind == Council && b.Seats > 100 {
		return errs.Field("seats", "a council has at most 100 seats")
	}
	if b.Kind != Group && len(b.Tags) > 0 {
		return errs.Field("tags", "only groups have a purpose to match residents to")
	}
	if b.Meets != nil {
		if err := validate.Struct(*b.Meets); err != nil {
			return err
		}
		if _, err := time.LoadLocation(b.Meets.Zone); err != nil {
			return errs.Field("meets.zone", "is not a time zone (e.g. Asia/Shanghai)")
		}
	}
	return nil
}

// BodyInput creates a committee or group (the council and think tank come
// from Setup).
type BodyInput struct {
	Kind        BodyKind `json:"kind"`
	ParentID    string   `json:"parent_id,omitempty"`
	Name        string   `json:"name"`
	ChineseName string   `json:"chinese_name,omitempty"`
	Remit       string   `json:"remit,omitempty"`
	DistrictID  string   `json:"district_id,omitempty"`
	GridID      string   `json:"grid_id,omitempty"`
	Schedule    string   `json:"schedule,omitempty"`
	// Seats is a group's size (0: no limit); Tags its purpose.
	Seats      int         `json:"seats,omitempty"`
	Tags       []string    `json:"tags,omitempty"`
	Meets      *Recurrence `json:"meets,omitempty"`
	SmallBoard bool        `json:"small_board,omitempty"`
	Quorum     int         `json:"quorum,omitempty"`
	Proxies    bool        `json:"proxies,omitempty"`
}

// BodyUpdate changes the fields that are set.
type BodyUpdate struct {
	Name        *string `json:"name,omitempty"`
	ChineseName *string `json:"chinese_name,omitempty"`
	Remit       *string `json:"remit,omitempty"`
	Seats       *int    `json:"seats,omitempty"`
	DistrictID  *string `json:"district_id,omitempty"`
	GridID      *string `json:"grid_id,omitempty"`
	Schedule    *string `json:"schedule,omitempty"`
	// Tags replaces a group's purpose ([] clears it).
	Tags *[]string `json:"tags,omitempty"`
	// Meets replaces the meeting rule; an empty object ({}) with day 0
	// removes it.
	Meets      *Recurrence `json:"meets,omitempty"`
	SmallBoard *bool       `json:"small_board,omitempty"`
	Quorum     *int        `json:"quorum,omitempty"`
	Proxies    *bool       `json:"proxies,omitempty"`
}

func (u BodyUpdate) apply(b *Body) {
	for _, f := range []struct {
		to   *string
		from *string
	}{{&b.Name, u.Name}, {&b.ChineseName, u.ChineseName}, {&b.Remit, u.Remit}, {&b.DistrictID, u.DistrictID}, {&b.GridID, u.GridID}, {&b.Schedule, u.Schedule}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if u.Seats != nil {
		b.Seats = *u.Seats
	}
	if u.Tags != nil {
		b.Tags = tagsOrNil(*u.Tags)
	}
	if u.Meets != nil {
		b.Meets = u.Meets
		if u.Meets.Day == 0 {
			b.Meets = nil
		}
	}
	if u.SmallBoard != nil {
		b.SmallBoard = *u.SmallBoard
	}
	if u.Quorum != nil {
		b.Quorum = *u.Quorum
	}
	if u.Proxies != nil {
		b.Proxies = *u.Proxies
	}
}

// BodyFilter selects a community's bodies.
type BodyFilter struct {
	CommunityID string
	Kind        BodyKind
	ParentID    string
	Key         string
	State       grids.State
	grids.Page
}

// Default bodies Setup makes: the case's council of nine, its think tank
// and its eight committees.
var (
	defaultCouncil = Body{Key: "council", Kind: Council, Name: "Neighbour Partners Self-Governance Council", ChineseName: "邻里伙伴自治理事会", Seats: 9,
		Remit:      "Meets on the 10th of every month (同心10号联席议事会) under Robert's Rules; assigns work to the committees.",
		Meets:      &Recurrence{Day: 10, Time: "19:00", Place: "社区议事厅", Shift: "next", Zone: "Asia/Shanghai"},
		SmallBoard: true}
	defaultThinkTank = Body{Key: "think_tank", Kind: ThinkTank, Name: "Livelihood Think Tank", ChineseName: "民生智库", Remit: "Engaged residents, leaders and organisations who bring needs and ideas."}
	// DefaultCommittees are the case's eight functional committees.
	DefaultCommittees = []Body{
		{Key: "silver", Name: "Silver Committee", ChineseName: "银发委员会", Remit: "The elderly: care, visits, stairwell culture."},
		{Key: "sprout", Name: "Sprout Committee", ChineseName: "爱芽委员会", Remit: "Children: the picture-book library, after-school care."},
		{Key: "clean", Name: "Clean Committee", ChineseName: "洁美委员会", Remit: "The environment: cleaning, greenery, waste sorting."},
		{Key: "vitality", Name: "Vitality Committee", ChineseName: "活力委员会", Remit: "Culture, sports and festivals."},
		{Key: "wisdom", Name: "Wisdom Committee", ChineseName: "智慧委员会", Remit: "Planning and public hearings."},
		{Key: "safety", Name: "Safety Committee", ChineseName: "平安委员会", Remit: "Patrols, emergencies, mediating disputes."},
		{Key: "convenience", Name: "Convenience Committee", ChineseName: "便民委员会", Remit: "Services for residents and the merchant alliance."},
		{Key: "redstar", Name: "RedStar Committee", ChineseName: "红星委员会", Remit: "Party members and the neighbour banquet."},
	}
)

// tagsOrNil stores no tags as nil, so every store gives back what it took.
func tagsOrNil(tags []string) []string {
	if len(tags) == 0 {
		return nil
	}
	return tags
}
