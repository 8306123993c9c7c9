package gridsdemo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/linli-go/linli/grids"
)

// Intake figures of the case: 200 needs and suggestions collected through
// 30 briefings (one per stairwell group), surveys, group discussions and
// micro-wishes.
const (
	Needs     = 200
	Briefings = 30
)

// needTemplates are needs and suggestions the case's kind of estate
// raises, with their tags.
var needTemplates = []struct {
	kind  grids.NeedKind
	title string
	tags  []string
}{
	{grids.KindNeed, "楼道灯坏了，晚上出入不便", []string{"safety", "lighting"}},
	{grids.KindNeed, "小区停车位严重不足", []string{"parking"}},
	{grids.KindSuggestion, "希望增加健身器材", []string{"fitness", "facilities"}},
	{grids.KindNeed, "独居老人需要助餐服务", []string{"elder_care", "meals"}},
	{grids.KindSuggestion, "开办四点半课堂", []string{"children", "education"}},
	{grids.KindNeed, "楼道堆物需要清理", []string{"environment", "fire_safety"}},
	{grids.KindNeed, "电动车充电不安全", []string{"fire_safety", "safety"}},
	{grids.KindSuggestion, "开展垃圾分类指导", []string{"environment"}},
	{grids.KindNeed, "空巢老人希望有人定期探访", []string{"elder_care", "companionship"}},
	{grids.KindSuggestion, "公共绿地缺少维护", []string{"environment", "greenery"}},
	{grids.KindNeed, "下水管道老化漏水", []string{"repairs", "housing"}},
	{grids.KindSuggestion, "组织邻里节活动", []string{"culture", "neighbourliness"}},
	{grids.KindNeed, "流动人口子女入学咨询", []string{"migrants", "education"}},
	{grids.KindNeed, "稻香菜场门口交通拥堵", []string{"traffic", "safety"}},
	{grids.KindSuggestion, "建立楼道微信群方便通知", []string{"communication"}},
	{grids.KindNeed, "残疾人出行需要无障碍坡道", []string{"disability", "facilities"}},
}

var microWishes = []string{
	"想学用智能手机视频通话", "希望有人陪同去医院复查", "孩子想要一套绘本", "想要一副老花镜",
	"希望有人帮忙修理收音机", "想学写毛笔字", "希望阳台晾衣架修一修", "想要一辆儿童自行车",
}

// SeedIntake records the case's needs intake in a seeded community: 200
// needs, suggestions and micro-wishes from its households (30 of them
// raised at the briefings), some accepted, answered, declined, claimed and
// fulfilled; and one survey of interests and needs, answered by a sample
// of households and closed. The context's principal must administer the
// community.
func SeedIntake(ctx context.Context, reg *grids.Registry, com grids.Community, seed uint64) error {
	rnd := rand.New(rand.NewPCG(seed, 0x696e74616b65))
	hs, _, err := reg.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: com.ID, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return err
	}
	rs, _, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, Page: grids.Page{Limit: 100}})
	if err != nil {
		return err
	}
	if len(hs) == 0 || len(rs) == 0 {
		return fmt.Errorf("seed intake: the community has no households")
	}
	for i := range Needs {
		in := grids.NeedInput{HouseholdID: hs[rnd.IntN(len(hs))].ID}
		switch {
		case i < Briefings:
			in.Source = grids.SourceBriefing
		case i < 110:
			in.Source = grids.SourceSurvey
		case i < 160:
			in.Source = grids.SourceGroupDiscussion
		default:
			in.Source, in.Kind = grids.SourceMicroWish, grids.KindMicroWish
		}
		if in.Kind == grids.KindMicroWish {
			in.Title, in.Tags = microWishes[rnd.IntN(len(microWishes))], []string{"micro_wish"}
		} else {
			t := needTemplates[rnd.IntN(len(needTemplates))]
			in.Kind, in.Title, in.Tags = t.kind, t.title, t.tags
		}
		n, err := reg.RaiseNeed(ctx, com.ID, in)
		if err != nil {
			return fmt.Errorf("seed need %d: %w", i, err)
		}
		act := func(a grids.NeedAction) error {
			_, err := reg.ActOnNeed(ctx, com.ID, n.ID, a)
			return err
		}
		steps := []grids.NeedAction{{Action: "accept"}}
		switch roll := rnd.IntN(10); {
		case roll < 2:
			continue // still received
		case roll < 3:
			steps = []grids.NeedAction{{Action: "decline", Reply: "此事属于物业公司职责，已转交物业处理"}}
		case n.Kind == grids.KindMicroWish && roll < 8:
			claimant := rs[rnd.IntN(len(rs))].ID
			steps = append(steps, grids.NeedAction{Action: "claim", ClaimedBy: &grids.Ref{Kind: "resident", ID: claimant}},
				grids.NeedAction{Action: "fulfil", Reply: "志愿者已帮助实现这个微心愿"})
		case n.Kind != grids.KindMicroWish && roll < 7:
			steps = append(steps, grids.NeedAction{Action: "answer", Reply: "已由居民自治理事会讨论并安排处理"})
		}
		for _, a := range steps {
			if err := act(a); err != nil {
				return fmt.Errorf("seed need %d, %s: %w", i, a.Action, err)
			}
		}
	}
	return seedSurvey(ctx, reg, com, hs, rnd)
}

// seedSurvey runs the interests-and-needs survey.
func seedSurvey(ctx context.Context, reg *grids.Registry, com grids.Community, hs []grids.Household, rnd *rand.Rand) error {
	s, err := reg.CreateSurvey(ctx, com.ID, grids.SurveyInput{
		Title:       "水秀社区民生需求与兴趣调查",
		Description: "了解各户的兴趣和需求，为划分网格、组建互助小组提供依据。",
		Questions: []grids.Question{
			{Key: "activities", Text: "您家里有人喜欢以下哪些活动？", Kind: grids.MultipleChoice, Required: true, Options: []grids.Option{
				{Key: "dance", Text: "广场舞", Interests: []string{"square_dance"}},
				{Key: "taichi", Text: "太极拳", Interests: []string{"tai_chi"}},
				{Key: "chess", Text: "棋牌", Interests: []string{"chess_cards"}},
				{Key: "reading", Text: "读书绘本", Interests: []string{"reading"}},
				{Key: "sports", Text: "青少年体育", Interests: []string{"youth_sports"}},
				{Key: "none", Text: "都不参加"},
			}},
			{Key: "meals", Text: "您家对助餐服务的需要程度（1–5）", Kind: grids.Scale, Min: 1, Max: 5, Threshold: 4, Needs: []string{"meal_delivery"}},
			{Key: "volunteer", Text: "您愿意参加志愿服务吗？", Kind: grids.SingleChoice, Options: []grids.Option{
				{Key: "yes", Text: "愿意", Interests: []string{"volunteering"}}, {Key: "no", Text: "暂时不"},
			}},
			{Key: "advice", Text: "您对社区自治有什么建议？", Kind: grids.FreeText},
		},
	})
	if err != nil {
		return fmt.Errorf("seed survey: %w", err)
	}
	if _, err := reg.OpenSurvey(ctx, com.ID, s.ID); err != nil {
		return err
	}
	options := []string{"dance", "taichi", "chess", "reading", "sports"}
	advice := []string{"希望多组织邻里活动", "建议增加停车位", "楼道卫生需要大家共同维护", ""}
	for i, h := range hs {
		if i%4 != 0 {
			continue // one household in four answers
		}
		var picked []string
		for _, o := range options {
			if rnd.IntN(4) == 0 {
				picked = append(picked, o)
			}
		}
		if len(picked) == 0 {
			picked = []string{"none"}
		}
		meals := 1 + rnd.IntN(5)
		answers := []grids.Answer{{Question: "activities", Options: picked}, {Question: "meals", Value: &meals},
			{Question: "volunteer", Options: []string{[]string{"yes", "no"}[rnd.IntN(2)]}}}
		if a := advice[rnd.IntN(len(advice))]; a != "" {
			answers = append(answers, grids.Answer{Question: "advice", Text: a})
		}
		if _, err := reg.AnswerSurvey(ctx, com.ID, s.ID, grids.ResponseInput{HouseholdID: h.ID, Answers: answers}); err != nil {
			return fmt.Errorf("seed survey response: %w", err)
		}
	}
	_, err = reg.CloseSurvey(ctx, com.ID, s.ID)
	return err
}
