package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// The mutual-aid groups proposed to residents: a worker reads a district's
// proposals and sends the invitations; a resident accepts or declines
// theirs on their own page.
func (s *site) matchRoutes(handle func(string, http.Handler)) {
	handle("GET /c/{community}/matches", s.handle(s.matches))
	handle("POST /c/{community}/matches", s.handle(s.invite))
	handle("POST /c/{community}/invitations/{id}", s.handle(s.replyInvitation))
}

// tagWords are residents' interests and needs, in Chinese.
var tagWords = map[string]string{
	"square_dance": "广场舞", "tai_chi": "太极", "calligraphy": "书法", "chess_cards": "棋牌", "choir": "合唱", "parenting": "育儿",
	"youth_sports": "青少年体育", "digital_skills": "智能手机和电脑", "volunteering": "志愿服务", "gardening": "养花种草", "reading": "读书",
	"medical_escort": "陪同就医", "home_elder_care": "居家养老", "companionship": "陪伴聊天", "meal_delivery": "助餐送餐",
	"disability_support": "助残", "after_school_care": "放学后看护", "employment_help": "找工作", "dispute_mediation": "邻里调解", "kites": "放风筝",
}

// tagsText is tags in Chinese: "太极、合唱".
func tagsText(tags []string) string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = tagWords[t]
		if out[i] == "" {
			out[i] = t
		}
	}
	return strings.Join(out, "、")
}

type matchesView struct {
	Districts []grids.District
	District  string
	Matching  *governance.Matching
	Percent   string // of the tagged residents placed, one decimal
	Groups    []matchGroup
}

// matchGroup is one group's proposals, folded on a phone.
type matchGroup struct {
	Name, Purpose string
	Lines         []matchLine
}

type matchLine struct {
	Value, Resident, Group, Tags string
	Metres                       int
}

// matches shows a district's proposals for the worker to send.
func (s *site) matches(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "小组推荐")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	var v matchesView
	if v.Districts, _, err = s.reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: c, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}}); err != nil {
		return "error", p, err
	}
	p.Data = &v
	v.District = r.URL.Query().Get("district")
	if v.District == "" {
		return "matches", p, nil
	}
	m, err := s.gov.RecommendGroups(ctx, c, governance.MatchInput{DistrictID: v.District})
	if err != nil {
		return "matches", p, err
	}
	v.Matching = &m
	v.Percent = fmt.Sprintf("%d.%d%%", m.MatchedPerMille/10, m.MatchedPerMille%10)
	groups, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c, Kind: governance.Group, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	if err != nil {
		return "matches", p, err
	}
	names := map[string]string{}
	at := map[string]int{} // group → its place in v.Groups
	for _, g := range groups {
		names[g.ID] = bodyName(g)
	}
	rs, _, err := s.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c, DistrictID: v.District, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	if err != nil {
		return "matches", p, err
	}
	for _, res := range rs {
		names[res.ID] = res.Name
	}
	for _, g := range groups {
		at[g.ID] = len(v.Groups)
		v.Groups = append(v.Groups, matchGroup{Name: bodyName(g), Purpose: tagsText(g.Tags)})
	}
	for _, pr := range m.Proposals {
		i, ok := at[pr.GroupID]
		if !ok {
			continue
		}
		v.Groups[i].Lines = append(v.Groups[i].Lines, matchLine{Value: pr.ResidentID + ":" + pr.GroupID, Resident: names[pr.ResidentID],
			Group: names[pr.GroupID], Tags: tagsText(pr.Tags), Metres: pr.Metres})
	}
	v.Groups = slices.DeleteFunc(v.Groups, func(g matchGroup) bool { return len(g.Lines) == 0 })
	return "matches", p, nil
}

// invite sends the invitations the worker kept ticked.
func (s *site) invite(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "小组推荐")
	if err != nil {
		return "error", p, err
	}
	var in governance.ConfirmInput
	for _, v := range r.PostForm["p"] {
		res, group, ok := strings.Cut(v, ":")
		if !ok {
			continue
		}
		in.Proposals = append(in.Proposals, governance.Proposal{ResidentID: res, GroupID: group})
	}
	district := r.PostFormValue("district")
	if _, err := s.gov.ConfirmMatches(ctx, p.Community.ID, in); err != nil {
		r.URL.RawQuery = "district=" + district
		return s.again(w, r, s.matches, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/matches?district="+district, "invited")
}

// replyInvitation is the resident's answer: accept (and join) or decline.
func (s *site) replyInvitation(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的社区")
	if err != nil {
		return "error", p, err
	}
	form(w, r)
	_, ctx, err := s.acting(r, &p)
	if err != nil {
		return "error", p, err
	}
	accept := r.PostFormValue("answer") == "accept"
	if _, err := s.gov.ReplyToInvitation(ctx, p.Community.ID, r.PathValue("id"), governance.ReplyInput{Accept: accept}); err != nil {
		return s.again(w, r, s.mine, err)
	}
	if accept {
		return redirect(w, r, "/c/"+p.Community.ID+"/my", "joined")
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/my", "declined")
}
