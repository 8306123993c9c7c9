package httpapi

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/points"
)

// requestTypes are the Go types the handlers decode, by the name of their
// schema in the document.
var requestTypes = map[string]any{
	"CommunityInput": grids.CommunityInput{}, "CommunityUpdate": grids.CommunityUpdate{},
	"WorkerInput": grids.WorkerInput{}, "WorkerUpdate": grids.WorkerUpdate{},
	"DistrictInput": grids.DistrictInput{}, "DistrictUpdate": grids.DistrictUpdate{},
	"GridInput": grids.GridInput{}, "GridUpdate": grids.GridUpdate{},
	"BuildingInput": grids.BuildingInput{}, "BuildingUpdate": grids.BuildingUpdate{},
	"HouseholdInput": grids.HouseholdInput{}, "HouseholdUpdate": grids.HouseholdUpdate{},
	"ResidentInput": grids.ResidentInput{}, "ResidentUpdate": grids.ResidentUpdate{},
	"ArchiveInput": grids.ArchiveInput{}, "NeedInput": grids.NeedInput{}, "NeedAction": grids.NeedAction{},
	"SurveyInput": grids.SurveyInput{}, "SurveyUpdate": grids.SurveyUpdate{}, "ResponseInput": grids.ResponseInput{},
	"PlanInput": grids.PlanInput{}, "ApplyInput": grids.ApplyInput{},
	"CredentialInput": access.Issue{}, "SetupInput": setupInput{},

	"BodyInput": governance.BodyInput{}, "BodyUpdate": governance.BodyUpdate{}, "AppointInput": governance.AppointInput{},
	"MemberInput": governance.MemberInput{}, "EndInput": governance.EndInput{}, "RenewInput": governance.RenewInput{}, "OrganisationInput": governance.OrganisationInput{},
	"OrganisationUpdate": governance.OrganisationUpdate{}, "DecisionInput": governance.DecisionInput{},
	"NominationInput": governance.NominationInput{}, "NominationAppointInput": governance.NominationAppointInput{},
	"ReviewInput": governance.ReviewInput{}, "TaskInput": governance.TaskInput{}, "ReportInput": governance.ReportInput{},
	"EscalateInput": governance.EscalateInput{}, "IssueInput": governance.IssueInput{}, "StepInput": governance.StepInput{},
	"ActivityInput": governance.ActivityInput{}, "ActivityUpdate": governance.ActivityUpdate{},
	"MeetingInput": governance.MeetingInput{}, "MeetingUpdate": governance.MeetingUpdate{}, "ItemInput": governance.ItemInput{},
	"OpinionInput": governance.OpinionInput{}, "ProxyInput": governance.ProxyInput{}, "InviteInput": governance.InviteInput{}, "BriefingInput": governance.BriefingInput{}, "ConfirmInput": governance.ConfirmInput{}, "ReplyInput": governance.ReplyInput{}, "RecommendationInput": governance.RecommendationInput{}, "TopicInput": governance.TopicInput{}, "BreakoutInput": governance.BreakoutInput{}, "TopicReport": governance.TopicReport{}, "RegistrationInput": governance.RegistrationInput{}, "AnswerInput": governance.AnswerInput{}, "Move": moveInput{},

	"PolicyInput": points.PolicyInput{}, "ClaimInput": points.ClaimInput{}, "ActivityClaimInput": points.ActivityClaimInput{},
	"VerifyInput": points.VerifyInput{}, "CorrectInput": points.CorrectInput{}, "GiftInput": points.GiftInput{},
	"ExpireInput": points.ExpireInput{}, "CatalogueItemInput": points.ItemInput{}, "CatalogueItemUpdate": points.ItemUpdate{},
	"DonationInput": points.DonationInput{}, "ExchangeInput": points.ExchangeInput{}, "CloseInput": points.CloseInput{},
	"MarketInput": points.MarketInput{}, "SignUpInput": points.SignUpInput{},

	"FundInput": funds.FundInput{}, "IncomeInput": funds.IncomeInput{}, "ReversalInput": funds.ReversalInput{},
	"CallInput": funds.CallInput{}, "ProposalInput": funds.ProposalInput{}, "ScoreInput": funds.ScoreInput{},
	"AwardInput": funds.AwardInput{}, "SpendInput": funds.SpendInput{}, "ReverseInput": funds.ReverseInput{},
	"MerchantInput": funds.MerchantInput{}, "DeclarationInput": funds.DeclarationInput{}, "BasisInput": basisInput{}, "ContributionInput": funds.ContributionInput{},
}

// TestRequestSchemasMatchTheirTypes holds every request body's schema to
// the Go type its handler decodes, whose fields and validator tags are
// the one statement of the contract: the same fields (the decoder refuses
// any other), the enums of oneof, the bounds of max and min, the fields
// required.
func TestRequestSchemasMatchTheirTypes(t *testing.T) {
	schemas := document()["components"].(obj)["schemas"].(obj)
	for name := range schemas {
		if strings.HasSuffix(name, "Input") || strings.HasSuffix(name, "Update") || name == "NeedAction" || name == "Move" {
			if _, ok := requestTypes[name]; !ok {
				t.Errorf("schema %s: no Go type is named for it in requestTypes", name)
			}
		}
	}
	checkTypes(t, schemas, requestTypes, true)
}

// checkTypes holds each type's schema to it; validated says whether its
// validator tags are checked too (a request's are; a response has none).
func checkTypes(t *testing.T, schemas obj, types map[string]any, validated bool) {
	for name, v := range types {
		s, ok := schemas[name].(obj)
		if !ok {
			t.Errorf("%s: no schema", name)
			continue
		}
		schemaCheck{t: t, schemas: schemas}.object(name, reflect.TypeOf(v), s, validated)
	}
}

type schemaCheck struct {
	t       *testing.T
	schemas obj
}

// resolve follows references, and of a nullable value (oneOf or anyOf
// with null) takes the schema of the value.
func (c schemaCheck) resolve(s obj) obj {
	for {
		if r, ok := s["$ref"].(string); ok {
			s = c.schemas[strings.TrimPrefix(r, "#/components/schemas/")].(obj)
			continue
		}
		for _, k := range []string{"oneOf", "anyOf"} {
			for _, alt := range anySlice(s[k]) {
				if a, ok := alt.(obj); ok && a["type"] != "null" {
					return c.resolve(a)
				}
			}
		}
		return s
	}
}

// fields are a struct's JSON fields, embedded structs' included.
func fields(tp reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for f := range tp.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "":
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			out = append(out, fields(ft)...)
		default:
			out = append(out, f)
		}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// object checks a struct's schema; validated says whether the validator
// checks its fields' rules (it does not dive into a list without dive).
func (c schemaCheck) object(path string, tp reflect.Type, s obj, validated bool) {
	for tp.Kind() == reflect.Pointer {
		tp = tp.Elem()
	}
	s = c.resolve(s)
	props, _ := s["properties"].(obj)
	var required []string
	switch r := s["required"].(type) {
	case []string:
		required = r
	case []any:
		for _, x := range r {
			required = append(required, x.(string))
		}
	}
	var names []string
	for _, f := range fields(tp) {
		name := jsonName(f)
		names = append(names, name)
		ps, ok := props[name].(obj)
		if !ok {
			c.t.Errorf("%s.%s: in the Go type, not in the schema", path, name)
			continue
		}
		rules := strings.Split(f.Tag.Get("validate"), ",")
		if !validated {
			rules = nil
		}
		own := rules
		if i := slices.Index(rules, "dive"); i >= 0 {
			own = rules[:i]
		}
		if slices.Contains(own, "required") && !slices.Contains(required, name) {
			c.t.Errorf("%s.%s: required by the type, not by the schema", path, name)
		}
		c.value(path+"."+name, f.Type, ps, rules)
	}
	for name := range props {
		if !slices.Contains(names, name) {
			c.t.Errorf("%s.%s: in the schema, not in the Go type (the decoder refuses it)", path, name)
		}
	}
}

// value checks one value's schema against its type and validator rules
// (those before dive; those after apply to the items).
func (c schemaCheck) value(path string, tp reflect.Type, s obj, rules []string) {
	for tp.Kind() == reflect.Pointer {
		tp = tp.Elem()
	}
	s = c.resolve(s)
	own, items := rules, []string(nil)
	if i := slices.Index(rules, "dive"); i >= 0 {
		own, items = rules[:i], rules[i+1:]
	}
	for _, r := range own {
		key, arg, _ := strings.Cut(r, "=")
		switch key {
		case "oneof":
			want := strings.Fields(arg)
			var got []string
			for _, e := range anySlice(s["enum"]) {
				got = append(got, fmt.Sprint(e))
			}
			if tp.Kind() == reflect.String && !sameSet(want, got) {
				c.t.Errorf("%s: oneof %v in the type, enum %v in the schema", path, want, got)
			}
		case "max", "min", "lte", "gte":
			n, err := strconv.Atoi(arg)
			if err != nil {
				continue
			}
			bound := map[string]string{"max": "max", "lte": "max", "min": "min", "gte": "min"}[key]
			var field string
			switch tp.Kind() {
			case reflect.String:
				field = bound + "Length"
			case reflect.Slice, reflect.Map:
				field = bound + "Items"
				if tp.Kind() == reflect.Map {
					field = bound + "Properties"
				}
			case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint32, reflect.Uint64:
				field = bound + "imum"
			default:
				continue
			}
			if got, ok := s[field]; !ok || fmt.Sprint(got) != strconv.Itoa(n) {
				c.t.Errorf("%s: %s=%d in the type, %s %v in the schema", path, key, n, field, s[field])
			}
		}
	}
	switch {
	case tp == decimalType || tp == timeType:
	case tp.Kind() == reflect.Struct:
		c.object(path, tp, s, rules != nil)
	case tp.Kind() == reflect.Slice && tp.Elem().Kind() != reflect.Uint8:
		if is, ok := s["items"].(obj); ok {
			if items == nil && rules != nil && !slices.Contains(rules, "dive") {
				items = nil // no dive: the items' own rules are not checked
			}
			c.value(path+"[]", tp.Elem(), is, diveRules(rules, items))
		} else {
			c.t.Errorf("%s: a list in the type, no items in the schema", path)
		}
	case tp.Kind() == reflect.Map:
		if as, ok := s["additionalProperties"].(obj); ok {
			c.value(path+"{}", tp.Elem(), as, items)
		}
	}
}

// diveRules are the rules of a list's items: those after dive, or, for a
// list the validator does not dive into, none at all (nil: unchecked).
func diveRules(rules, items []string) []string {
	if rules == nil || !slices.Contains(rules, "dive") {
		return nil
	}
	if items == nil {
		return []string{}
	}
	return items
}

func anySlice(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// responseTypes are the Go types the handlers answer with, by the name of
// their schema (Health, a literal of the handler's, is left out).
var responseTypes = map[string]any{
	"Community": grids.Community{}, "Worker": grids.Worker{}, "District": grids.District{}, "Grid": grids.Grid{},
	"Building": grids.Building{}, "Household": grids.Household{}, "Resident": grids.Resident{}, "Summary": grids.Summary{},
	"ImportResult": grids.ImportResult{}, "Principal": grids.Principal{}, "Need": grids.Need{}, "Ref": grids.Ref{},
	"Survey": grids.Survey{}, "Response": grids.Response{}, "SurveyResults": grids.SurveyResults{}, "Profile": grids.Profile{},
	"RegroupPlan": grids.RegroupPlan{}, "ApplyResult": grids.ApplyResult{}, "Membership": grids.Membership{},
	"Credential": credentialView{}, "IssuedCredential": issuedView{}, "CredentialEvent": access.Event{},

	"Body": governance.Body{}, "Position": governance.Position{}, "Organisation": governance.Organisation{},
	"Decision": governance.Decision{}, "Nomination": governance.Nomination{}, "Task": governance.Task{}, "Issue": governance.Issue{},
	"Activity": governance.Activity{}, "Evaluation": governance.Evaluation{}, "Meeting": governance.Meeting{},
	"MeetingView": governance.MeetingView{}, "MeetingState": procedure.State{}, "MeetingEvent": procedure.Event{},
	"MotionRule": procedure.Rule{}, "Settings": procedure.Settings{}, "MinutesView": governance.MinutesView{},
	"Opinion": governance.Opinion{}, "Briefing": governance.Briefing{}, "Coverage": governance.Coverage{}, "Stairwell": governance.Stairwell{}, "Candidate": governance.Candidate{}, "Holiday": governance.Holiday{},
	"GroupProposal": governance.Proposal{}, "Matching": governance.Matching{}, "Invitation": governance.Invitation{}, "Invitations": invitations{},

	"Policy": points.Policy{}, "Claim": points.Claim{}, "Passbook": points.Passbook{}, "Statement": points.Statement{}, "Gift": points.Gift{},
	"Expiry": points.Expiry{}, "CatalogueItem": points.Item{}, "Donation": points.Donation{}, "Exchange": points.Exchange{},
	"Market": points.Market{}, "SignUp": points.SignUp{}, "PointsEvaluation": points.Evaluation{},

	"Fund": funds.Fund{}, "Income": funds.Income{}, "FundStatement": funds.Statement{}, "FundReport": funds.FundReport{},
	"TrialBalance": funds.TrialBalance{}, "Call": funds.Call{}, "Proposal": funds.Proposal{}, "Review": funds.Review{},
	"Ranked": funds.Ranked{}, "Grant": funds.Grant{}, "Spending": funds.Spending{}, "ProjectReport": funds.ProjectReport{},
	"Merchant": funds.Merchant{}, "Declaration": funds.Declaration{}, "Reconciliation": funds.Reconciliation{},

	"OutcomeTable": outcome.Table{}, "OutcomeTotal": outcome.Total{}, "Bulletin": bulletin.Bulletin{}, "Audit": ledger.Audit{}, "Books": Books{}, "Problem": Problem{},
}

// TestResponseSchemasMatchTheirTypes holds every response schema to the Go
// type the handlers answer with: the same fields, so that a field the
// tests never see filled is still described, and none described is gone.
func TestResponseSchemasMatchTheirTypes(t *testing.T) {
	schemas := document()["components"].(obj)["schemas"].(obj)
	for name := range schemas {
		_, req := requestTypes[name]
		_, res := responseTypes[name]
		if !req && !res && name != "Health" {
			t.Errorf("schema %s: no Go type is named for it", name)
		}
	}
	checkTypes(t, schemas, responseTypes, false)
}
