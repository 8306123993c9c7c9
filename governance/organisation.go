package governance

import (
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/validate"
)

// Organisation is a social organisation: one of the grassroots
// organisations incubated in the community (the case has 14), or a
// professional one such as a social-work firm.
type Organisation struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	Name        string `json:"name" validate:"required,text,max=100"`
	// Kind: grassroots (草根) or professional (专业社工机构).
	Kind string `json:"kind" validate:"oneof=grassroots professional"`
	// Origin: incubated in the community, or external.
	Origin       string   `json:"origin" validate:"oneof=incubated external"`
	Purpose      string   `json:"purpose,omitempty" validate:"omitempty,multiline,max=1000"`
	Contact      string   `json:"contact,omitempty" validate:"omitempty,text,max=100"`
	CommitteeIDs []string `json:"committee_ids" validate:"max=8,unique,dive,ulid"`
	grids.Stamps
}

// Validate checks every field.
func (o Organisation) Validate() error { return validate.Struct(o) }

// OrganisationInput registers an organisation.
type OrganisationInput struct {
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Origin       string   `json:"origin"`
	Purpose      string   `json:"purpose,omitempty"`
	Contact      string   `json:"contact,omitempty"`
	CommitteeIDs []string `json:"committee_ids,omitempty"`
}

// OrganisationUpdate changes the fields that are set.
type OrganisationUpdate struct {
	Name         *string   `json:"name,omitempty"`
	Kind         *string   `json:"kind,omitempty"`
	Origin       *string   `json:"origin,omitempty"`
	Purpose      *string   `json:"purpose,omitempty"`
	Contact      *string   `json:"contact,omitempty"`
	CommitteeIDs *[]string `json:"committee_ids,omitempty"`
}

func (u OrganisationUpdate) apply(o *Organisation) {
	for _, f := range []struct {
		to   *string
		from *string
	}{{&o.Name, u.Name}, {&o.Kind, u.Kind}, {&o.Origin, u.Origin}, {&o.Purpose, u.Purpose}, {&o.Contact, u.Contact}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if u.CommitteeIDs != nil {
		o.CommitteeIDs = *u.CommitteeIDs
	}
}

// OrganisationFilter selects organisations.
type OrganisationFilter struct {
	CommunityID string
	Kind        string
	CommitteeID string
	State       grids.State
	grids.Page
}
