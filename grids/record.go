package grids

import (
	"strings"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Stamps are the times every archivable registry record keeps.
type Stamps struct {
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	ArchiveReason string     `json:"archive_reason,omitempty" validate:"omitempty,text,max=200"`
}

// Archived reports whether the record is archived.
func (s Stamps) Archived() bool { return s.ArchivedAt != nil }

// State selects records by whether they are archived.
type State string

// The states a filter can ask for; the zero value means Active.
const (
	Active   State = "active"
	Archived State = "archived"
	AnyState State = "all"
)

// Includes reports whether a record with these stamps is selected by s.
func (s State) Includes(st Stamps) bool {
	switch s {
	case Archived:
		return st.Archived()
	case AnyState:
		return true
	}
	return !st.Archived()
}

// Page bounds a Find. Stores treat Limit <= 0 as no limit; the Registry
// applies DefaultLimit and MaxLimit to what callers ask for.
//
// After pages by key: the page starts just after the record with this ID,
// in the Find's order (where that record would stand, even if it no longer
// matches the filter), so records made or changed meanwhile neither repeat
// nor go missing from the pages still to come. An After that names no
// record of the list is refused. Offset pages by position instead; a page
// uses one or the other.
//
// NoTotal says the caller does not need the total: stores skip counting
// (a count over the whole filter, per page, is most of a page's cost on a
// large table) and return -1.
type Page struct {
	Offset  int    `json:"offset"`
	Limit   int    `json:"limit"`
	After   string `json:"after,omitempty"`
	NoTotal bool   `json:"-"`
}

// Checked applies DefaultLimit to a page that asks for none and refuses
// one out of bounds; every service's finds go through it.
func (p Page) Checked() (Page, error) {
	switch {
	case p.Offset < 0:
		return p, errs.Field("offset", "must not be negative")
	case p.Limit < 0 || p.Limit > MaxLimit:
		return p, errs.Field("limit", "must be between 1 and %d", MaxLimit)
	case p.After != "" && p.Offset != 0:
		return p, errs.Field("after", "pages by key; offset by position: give one of them")
	case len(p.After) > 64 || strings.ContainsFunc(p.After, func(r rune) bool { return r <= ' ' || r > '~' }):
		return p, errs.Field("after", "is the ID of the last record of the page before")
	case p.Limit == 0:
		p.Limit = DefaultLimit
	}
	return p, nil
}

// ErrNoSuchAfter is what stores return for an After that names no record.
func ErrNoSuchAfter(id string) error {
	return errs.Field("after", "names no record of this list: %s", id)
}

// Limits the Registry applies to pages.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// ArchiveInput says why a record is archived ("moved out", "deceased",
// "merged into grid 3" …).
type ArchiveInput struct {
	Reason string `json:"reason" validate:"required,text,max=200"`
}
