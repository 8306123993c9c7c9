package grids

import (
	"context"
	"slices"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Role is what a principal may do in its community.
type Role string

// The roles. A principal may hold several (a council member is usually also
// a resident).
const (
	RoleAdmin          Role = "admin"           // operates the platform: creates communities, acts in any
	RoleWorker         Role = "worker"          // community worker (社区工作者): administers the community
	RoleCouncilMember  Role = "council_member"  // member of the self-governance council (理事会)
	RoleCommitteeChair Role = "committee_chair" // chairs a functional committee (委员会)
	RoleGroupLeader    Role = "group_leader"    // leads a mutual-aid group (互助小组)
	RoleResident       Role = "resident"        // a resident of the community
	RoleMerchant       Role = "merchant"        // a member of the merchant alliance (便民服务联盟)
)

// Roles lists every role.
func Roles() []Role {
	return []Role{RoleAdmin, RoleWorker, RoleCouncilMember, RoleCommitteeChair, RoleGroupLeader, RoleResident, RoleMerchant}
}

// Principal is who is acting: authenticated by an adapter, carried in the
// context, checked by the services.
type Principal struct {
	ID          string `json:"id" validate:"required,text,max=64"`
	CommunityID string `json:"community_id,omitempty" validate:"omitempty,ulid"` // empty only for admins
	Name        string `json:"name" validate:"required,text,max=64"`
	Roles       []Role `json:"roles" validate:"min=1,unique,dive,oneof=admin worker council_member committee_chair group_leader resident merchant"`
	// ResidentID links the principal to their resident record, which decides
	// whose household's personal data they may see.
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
}

// Validate checks the principal's fields.
func (p Principal) Validate() error {
	if err := validate.Struct(p); err != nil {
		return err
	}
	if p.CommunityID == "" && !p.Has(RoleAdmin) {
		return errs.Field("community_id", "is required for every role but admin")
	}
	return nil
}

// Has reports whether p holds role.
func (p Principal) Has(role Role) bool { return slices.Contains(p.Roles, role) }

// In reports whether p may act in community: a member of it, or an admin.
func (p Principal) In(community string) bool {
	return p.Has(RoleAdmin) || (p.CommunityID == community && community != "")
}

// Administers reports whether p administers community: its worker, or an admin.
func (p Principal) Administers(community string) bool {
	return p.Has(RoleAdmin) || (p.CommunityID == community && community != "" && p.Has(RoleWorker))
}

type principalKey struct{}

// WithPrincipal returns a context in which p is acting.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal acting in ctx.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Admin returns a principal for trusted code (seeding, tools, tests) that may
// do anything in any community.
func Admin(name string) Principal {
	return Principal{ID: "admin:" + name, Name: name, Roles: []Role{RoleAdmin}}
}

// The authorization rules of the registry. Each refusal names its rule.
var (
	ErrAdminsOnly  = NewRule(Forbidden, "grids.admins_only", "only platform administrators do this")
	ErrNotMember   = NewRule(Forbidden, "grids.not_member", "only members of a community read it")
	ErrWorkersOnly = NewRule(Forbidden, "grids.workers_only", "only community workers change the registry")
	ErrPersonal    = NewRule(Forbidden, "grids.personal_data", "residents see the personal data of their own household only")
)

// Member is the principal acting in ctx if they are a member of
// community. Otherwise it refuses: ErrNoPrincipal with none, and under
// notMember (the caller's rule, such as points.ErrNotMember) one of
// another community. Services built on the registry check every call so.
func Member(ctx context.Context, community string, notMember *Rule) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return p, ErrNoPrincipal
	}
	if !p.In(community) {
		return p, forbidden(notMember)
	}
	return p, nil
}

// Administrator is Member, refusing also under workersOnly a principal who does
// not administer community (its workers and admins do).
func Administrator(ctx context.Context, community string, notMember, workersOnly *Rule) (Principal, error) {
	p, err := Member(ctx, community, notMember)
	if err == nil && !p.Administers(community) {
		err = forbidden(workersOnly)
	}
	return p, err
}

// Gate admits the principal acting in a context to a community under a
// service's own rules: Member for anything a member may do, Administrator
// for what its workers do.
type Gate struct {
	NotMember   *Rule // refuses a principal of another community
	WorkersOnly *Rule // refuses a member who does not administer it
}

// Member is Member(ctx, community, g.NotMember).
func (g Gate) Member(ctx context.Context, community string) (Principal, error) {
	return Member(ctx, community, g.NotMember)
}

// Administrator is Administrator(ctx, community, g.NotMember, g.WorkersOnly).
func (g Gate) Administrator(ctx context.Context, community string) (Principal, error) {
	return Administrator(ctx, community, g.NotMember, g.WorkersOnly)
}

// authorize returns the acting principal if it passes check, or the error
// that refuses it.
func authorize(ctx context.Context, community string, rule *Rule) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, ErrNoPrincipal
	}
	var allowed bool
	switch rule {
	case ErrAdminsOnly:
		allowed = p.Has(RoleAdmin)
	case ErrNotMember:
		allowed = p.In(community)
	case ErrWorkersOnly:
		allowed = p.Administers(community)
	default:
		return Principal{}, errs.Internalf("unknown rule %s", rule.Name())
	}
	if !allowed {
		return Principal{}, forbidden(rule)
	}
	return p, nil
}
