package governance

import (
	"slices"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// TaskStatus is where a task is.
type TaskStatus string

// The statuses: open → in_progress → done, or cancelled before done.
const (
	Open       TaskStatus = "open"
	InProgress TaskStatus = "in_progress"
	Done       TaskStatus = "done"
	Cancelled  TaskStatus = "cancelled"
)

var taskTransitions = map[TaskStatus][]TaskStatus{
	Open:       {InProgress, Done, Cancelled},
	InProgress: {InProgress, Done, Cancelled},
}

// Task is work assigned down: by the council or a committee to a committee
// or group, with an owner and a due date. Reports record progress up.
type Task struct {
	ID          string       `json:"id" validate:"ulid"`
	CommunityID string       `json:"community_id" validate:"ulid"`
	FromBodyID  string       `json:"from_body_id" validate:"required,ulid"`
	ToBodyID    string       `json:"to_body_id" validate:"required,ulid"`
	Title       string       `json:"title" validate:"required,text,max=200"`
	Detail      string       `json:"detail,omitempty" validate:"omitempty,multiline,max=5000"`
	OwnerID     string       `json:"owner_id,omitempty" validate:"omitempty,ulid"` // the resident answering for it
	Due         *time.Time   `json:"due,omitempty"`
	Status      TaskStatus   `json:"status"`
	IssueID     string       `json:"issue_id,omitempty" validate:"omitempty,ulid"` // the issue it carries out
	Reports     []TaskReport `json:"reports"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// TaskReport is one report of progress on a task.
type TaskReport struct {
	At     time.Time  `json:"at"`
	By     string     `json:"by"`
	Status TaskStatus `json:"status"`
	Note   string     `json:"note"`
}

// Validate checks every field.
func (t Task) Validate() error {
	if err := validate.Struct(t); err != nil {
		return err
	}
	if t.FromBodyID == t.ToBodyID {
		return errs.Field("to_body_id", "a body assigns work to another body")
	}
	return nil
}

// TaskInput assigns a task.
type TaskInput struct {
	FromBodyID string     `json:"from_body_id,omitempty"` // the council if empty
	ToBodyID   string     `json:"to_body_id"`
	Title      string     `json:"title"`
	Detail     string     `json:"detail,omitempty"`
	OwnerID    string     `json:"owner_id,omitempty"`
	Due        *time.Time `json:"due,omitempty"`
	IssueID    string     `json:"issue_id,omitempty"`
}

// ReportInput reports progress on a task, possibly moving its status.
type ReportInput struct {
	Status TaskStatus `json:"status,omitempty" validate:"omitempty,oneof=in_progress done cancelled"`
	Note   string     `json:"note" validate:"required,multiline,max=2000"`
}

// EscalateInput raises a problem met in a task as a community issue for
// the body above.
type EscalateInput struct {
	Title  string `json:"title" validate:"required,text,max=200"`
	Detail string `json:"detail,omitempty" validate:"omitempty,multiline,max=5000"`
}

// TaskFilter selects tasks.
type TaskFilter struct {
	CommunityID string
	FromBodyID  string
	ToBodyID    string
	Status      TaskStatus
	OwnerID     string
	grids.Page
}

// report records a report on t, moving its status if the report says so.
func (t *Task) report(in ReportInput, by string, now time.Time) error {
	to := t.Status
	if in.Status != "" {
		to = in.Status
	}
	if to != t.Status && !slices.Contains(taskTransitions[t.Status], to) || t.Status == Done || t.Status == Cancelled {
		return ErrTaskState.Refuse("a task that is %s cannot become %s", t.Status, to)
	}
	if to == Open {
		to = InProgress // a report means work has begun
	}
	t.Status = to
	t.Reports = append(t.Reports, TaskReport{At: now, By: by, Status: to, Note: in.Note})
	t.UpdatedAt = now
	return nil
}
