package grids

import (
	"time"

	"github.com/linli-go/linli/internal/validate"
)

// Community is a tenant: every other record belongs to exactly one.
type Community struct {
	ID        string    `json:"id" validate:"ulid"`
	Name      string    `json:"name" validate:"required,text,max=100"`
	Address   string    `json:"address,omitempty" validate:"omitempty,text,max=200"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks every field.
func (c Community) Validate() error { return validate.Struct(c) }

// CommunityInput creates a community.
type CommunityInput struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
}

// CommunityUpdate changes the fields that are set.
type CommunityUpdate struct {
	Name    *string `json:"name,omitempty"`
	Address *string `json:"address,omitempty"`
}

func (u CommunityUpdate) apply(c *Community) {
	set(&c.Name, u.Name)
	set(&c.Address, u.Address)
}

// CommunityFilter selects communities.
type CommunityFilter struct {
	Name string // exact name
	Page
}

// Worker is a community worker (社区工作者): staff, not a resident. Two of
// them serve each district as its heads (片长).
type Worker struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	Name        string `json:"name" validate:"required,text,max=64"`
	Phone       string `json:"phone,omitempty" validate:"omitempty,phone"`
	Stamps
}

// Validate checks every field.
func (w Worker) Validate() error { return validate.Struct(w) }

// WorkerInput creates a worker.
type WorkerInput struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
}

// WorkerUpdate changes the fields that are set.
type WorkerUpdate struct {
	Name  *string `json:"name,omitempty"`
	Phone *string `json:"phone,omitempty"`
}

func (u WorkerUpdate) apply(w *Worker) {
	set(&w.Name, u.Name)
	set(&w.Phone, u.Phone)
}

// WorkerFilter selects a community's workers.
type WorkerFilter struct {
	CommunityID string
	State       State
	Page
}

// set copies *from into to when from is set: the one rule of every Update.
func set[T any](to *T, from *T) {
	if from != nil {
		*to = *from
	}
}
