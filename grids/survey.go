package grids

import (
	"fmt"
	"slices"
	"time"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// QuestionKind is how a question is answered.
type QuestionKind string

// The kinds of question.
const (
	SingleChoice   QuestionKind = "single"   // one option
	MultipleChoice QuestionKind = "multiple" // any number of options
	Scale          QuestionKind = "scale"    // a whole number from Min to Max
	FreeText       QuestionKind = "text"     // words
)

// Option is a choice of a single- or multiple-choice question; choosing it
// gives the household its interest and need tags.
type Option struct {
	Key       string   `json:"key" validate:"required,tag"`
	Text      string   `json:"text" validate:"required,text,max=200"`
	Interests []string `json:"interests,omitempty" validate:"max=8,unique,dive,tag"`
	Needs     []string `json:"needs,omitempty" validate:"max=8,unique,dive,tag"`
}

// Question is one question of a survey. A scale question gives its tags to
// households whose answer is at least Threshold.
type Question struct {
	Key       string       `json:"key" validate:"required,tag"`
	Text      string       `json:"text" validate:"required,text,max=300"`
	Kind      QuestionKind `json:"kind" validate:"oneof=single multiple scale text"`
	Required  bool         `json:"required,omitempty"`
	Options   []Option     `json:"options,omitempty" validate:"max=30,dive"`
	Min       int          `json:"min,omitempty"`
	Max       int          `json:"max,omitempty"`
	Threshold int          `json:"threshold,omitempty"`
	Interests []string     `json:"interests,omitempty" validate:"max=8,unique,dive,tag"`
	Needs     []string     `json:"needs,omitempty" validate:"max=8,unique,dive,tag"`
}

// SurveyStatus is where a survey is: drafted, taking answers, or closed.
type SurveyStatus string

// The statuses: draft → open → closed.
const (
	SurveyDraft  SurveyStatus = "draft"
	SurveyOpen   SurveyStatus = "open"
	SurveyClosed SurveyStatus = "closed"
)

// Survey is a questionnaire answered per household (问卷调查).
type Survey struct {
	ID          string       `json:"id" validate:"ulid"`
	CommunityID string       `json:"community_id" validate:"ulid"`
	Title       string       `json:"title" validate:"required,text,max=100"`
	Description string       `json:"description,omitempty" validate:"omitempty,multiline,max=2000"`
	Status      SurveyStatus `json:"status"`
	Questions   []Question   `json:"questions" validate:"min=1,max=100,dive"`
	OpenedAt    *time.Time   `json:"opened_at,omitempty"`
	ClosedAt    *time.Time   `json:"closed_at,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Validate checks every field and each question's shape.
func (s Survey) Validate() error {
	if err := validate.Struct(s); err != nil {
		return err
	}
	var fields []errs.FieldError
	bad := func(i int, field, format string, args ...any) {
		fields = append(fields, errs.FieldError{Field: fmt.Sprintf("questions[%d].%s", i, field), Message: fmt.Sprintf(format, args...)})
	}
	keys := map[string]bool{}
	for i, q := range s.Questions {
		if keys[q.Key] {
			bad(i, "key", "repeats question %q", q.Key)
		}
		keys[q.Key] = true
		switch q.Kind {
		case SingleChoice, MultipleChoice:
			if len(q.Options) < 2 {
				bad(i, "options", "a choice needs at least two options")
			}
			seen := map[string]bool{}
			for j, o := range q.Options {
				if seen[o.Key] {
					bad(i, fmt.Sprintf("options[%d].key", j), "repeats option %q", o.Key)
				}
				seen[o.Key] = true
			}
			if q.Min != 0 || q.Max != 0 || q.Threshold != 0 || len(q.Interests)+len(q.Needs) > 0 {
				bad(i, "kind", "a choice question maps tags through its options, and has no min, max or threshold")
			}
		case Scale:
			if q.Min >= q.Max || q.Max-q.Min > 100 {
				bad(i, "max", "a scale runs from min to a larger max, at most 100 steps")
			}
			if len(q.Interests)+len(q.Needs) > 0 && (q.Threshold < q.Min || q.Threshold > q.Max) {
				bad(i, "threshold", "must lie between min and max")
			}
			if len(q.Options) > 0 {
				bad(i, "options", "a scale has no options")
			}
		case FreeText:
			if len(q.Options) > 0 || q.Min != 0 || q.Max != 0 || len(q.Interests)+len(q.Needs) > 0 {
				bad(i, "kind", "a free-text question has no options, scale or tags")
			}
		}
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	return nil
}

// SurveyInput drafts a survey.
type SurveyInput struct {
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Questions   []Question `json:"questions"`
}

// SurveyUpdate changes a draft.
type SurveyUpdate struct {
	Title       *string     `json:"title,omitempty"`
	Description *string     `json:"description,omitempty"`
	Questions   *[]Question `json:"questions,omitempty"`
}

// SurveyFilter selects a community's surveys.
type SurveyFilter struct {
	CommunityID string
	Status      SurveyStatus
	Page
}

// Answer answers one question: Options for a choice, Value for a scale,
// Text for free text.
type Answer struct {
	Question string   `json:"question" validate:"required,tag"`
	Options  []string `json:"options,omitempty" validate:"max=30,unique,dive,tag"`
	Value    *int     `json:"value,omitempty"`
	Text     string   `json:"text,omitempty" validate:"omitempty,multiline,max=2000"`
}

// ResponseInput is a household's answers to a survey.
type ResponseInput struct {
	HouseholdID string   `json:"household_id" validate:"required,ulid"`
	Answers     []Answer `json:"answers" validate:"max=100,dive"`
}

// Response is a household's answers, with the tags they map to. A household
// answers a survey once; answering again replaces the earlier answers.
type Response struct {
	ID          string    `json:"id"`
	CommunityID string    `json:"community_id"`
	SurveyID    string    `json:"survey_id"`
	HouseholdID string    `json:"household_id"`
	Answers     []Answer  `json:"answers"`
	Interests   []string  `json:"interests"`
	Needs       []string  `json:"needs"`
	By          string    `json:"by"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// ResponseFilter selects responses.
type ResponseFilter struct {
	CommunityID string
	SurveyID    string
	HouseholdID string
}

// check validates answers against the survey and returns the tags they map
// to.
func (s Survey) check(answers []Answer) (interests, needs []string, err error) {
	var fields []errs.FieldError
	bad := func(i int, field, format string, args ...any) {
		fields = append(fields, errs.FieldError{Field: fmt.Sprintf("answers[%d].%s", i, field), Message: fmt.Sprintf(format, args...)})
	}
	byKey := map[string]Question{}
	for _, q := range s.Questions {
		byKey[q.Key] = q
	}
	answered := map[string]bool{}
	for i, a := range answers {
		q, ok := byKey[a.Question]
		if !ok {
			bad(i, "question", "the survey has no question %q", a.Question)
			continue
		}
		if answered[a.Question] {
			bad(i, "question", "question %q is answered twice", a.Question)
			continue
		}
		answered[a.Question] = true
		switch q.Kind {
		case SingleChoice, MultipleChoice:
			if a.Value != nil || a.Text != "" {
				bad(i, "options", "question %q is answered by choosing options", q.Key)
				continue
			}
			if q.Kind == SingleChoice && len(a.Options) != 1 || len(a.Options) == 0 {
				bad(i, "options", "choose %s", map[bool]string{true: "one option", false: "at least one option"}[q.Kind == SingleChoice])
				continue
			}
			for _, key := range a.Options {
				j := slices.IndexFunc(q.Options, func(o Option) bool { return o.Key == key })
				if j < 0 {
					bad(i, "options", "question %q has no option %q", q.Key, key)
					continue
				}
				interests = append(interests, q.Options[j].Interests...)
				needs = append(needs, q.Options[j].Needs...)
			}
		case Scale:
			if a.Value == nil || len(a.Options) > 0 || a.Text != "" {
				bad(i, "value", "question %q is answered with a number from %d to %d", q.Key, q.Min, q.Max)
				continue
			}
			if *a.Value < q.Min || *a.Value > q.Max {
				bad(i, "value", "must be from %d to %d", q.Min, q.Max)
				continue
			}
			if *a.Value >= q.Threshold && len(q.Interests)+len(q.Needs) > 0 {
				interests = append(interests, q.Interests...)
				needs = append(needs, q.Needs...)
			}
		case FreeText:
			if a.Value != nil || len(a.Options) > 0 {
				bad(i, "text", "question %q is answered in words", q.Key)
			}
		}
	}
	for _, q := range s.Questions {
		if q.Required && !answered[q.Key] {
			fields = append(fields, errs.FieldError{Field: "answers", Message: fmt.Sprintf("question %q must be answered", q.Key)})
		}
	}
	if len(fields) > 0 {
		return nil, nil, errs.Fields(fields...)
	}
	return dedupe(interests), dedupe(needs), nil
}

// dedupe returns the sorted distinct elements, never nil.
func dedupe(s []string) []string {
	out := sorted(s)
	return slices.Compact(out)
}

// SurveyResults aggregates a survey's responses per question, for the
// community and per grid or district.
type SurveyResults struct {
	SurveyID  string           `json:"survey_id"`
	Responses int              `json:"responses"`
	By        string           `json:"by"` // "grid" or "district": how Groups are split
	Questions []QuestionResult `json:"questions"`
}

// QuestionResult aggregates one question's answers.
type QuestionResult struct {
	Key     string       `json:"key"`
	Kind    QuestionKind `json:"kind"`
	Text    string       `json:"text"`
	Overall Tally        `json:"overall"`
	Groups  []GroupTally `json:"groups"`
	Texts   []string     `json:"texts,omitempty"` // free-text answers, for workers only
}

// Tally counts one question's answers.
type Tally struct {
	Answered int            `json:"answered"`
	Options  map[string]int `json:"options,omitempty"` // per option key
	Values   map[string]int `json:"values,omitempty"`  // per scale value
	Mean     float64        `json:"mean,omitempty"`    // of a scale
}

// GroupTally is a tally for one grid or district.
type GroupTally struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Tally Tally  `json:"tally"`
}
