package regroup

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// marks hands out generation numbers for marking nodes: a node is in a set
// when its mark equals the set's number, so no set needs clearing.
type marks struct {
	of  []uint32
	gen uint32
}

func (m *marks) next() uint32 {
	m.gen++
	return m.gen
}

// set marks nodes with a new number and returns it.
func (m *marks) set(nodes []int32) uint32 {
	id := m.next()
	for _, v := range nodes {
		m.of[v] = id
	}
	return id
}

// bfs returns the nodes marked in that s reaches through nodes marked in,
// in breadth-first order, and marks them visited.
func (m *marks) bfs(g *graph, s int32, in, visited uint32) []int32 {
	order := []int32{s}
	m.of[s] = visited
	for i := 0; i < len(order); i++ {
		for _, w := range g.neighbours(order[i]) {
			if m.of[w] == in {
				m.of[w] = visited
				order = append(order, w)
			}
		}
	}
	return order
}

// split assigns nodes (one connected piece of the graph) to k regions
// numbered from first, by recursive bisection: a prefix of a breadth-first
// order is connected, so it becomes one side; pieces of the rest that it
// cut off join it, so both sides stay connected.
func split(g *graph, region []int32, nodes []int32, k int, first int32, m *marks) {
	if k < 1 || k > len(nodes) {
		panic("regroup: split asked for an impossible number of regions") // share rules this out
	}
	if k == 1 {
		for _, v := range nodes {
			region[v] = first
		}
		return
	}
	total := 0
	for _, v := range nodes {
		total += g.size[v]
	}
	// Start from a peripheral node: the last one reached from the last one
	// reached from anywhere.
	in := m.set(nodes)
	probe := m.bfs(g, nodes[0], in, m.next())
	in = m.set(nodes)
	order := m.bfs(g, probe[len(probe)-1], in, m.next())

	k1 := k / 2
	k2 := k - k1
	target := float64(total) * float64(k1) / float64(k)
	cut, acc := 0, 0
	for i, v := range order {
		if i >= len(order)-k2 {
			break // leave a node for each region of the other side
		}
		next := acc + g.size[v]
		if cut >= k1 && math.Abs(float64(next)-target) > math.Abs(float64(acc)-target) {
			break
		}
		acc, cut = next, i+1
	}

	// The rest may fall into pieces: the largest is side B, the others
	// (which touch side A, since nodes is connected) join A.
	rest := m.set(order[cut:])
	m.set(order[:cut])
	a := slices.Clone(order[:cut])
	var b []int32
	for _, v := range order[cut:] {
		if m.of[v] != rest {
			continue
		}
		piece := m.bfs(g, v, rest, m.next())
		if len(piece) > len(b) {
			a, b = append(a, b...), piece
		} else {
			a = append(a, piece...)
		}
	}
	if len(a) < k1 || len(b) < k2 {
		// A shape that will not halve (a star, say): deal out the BFS
		// order; the search mends the regions this leaves in pieces.
		for i, v := range order {
			region[v] = first + int32(min(i*k/len(order), k-1))
		}
		return
	}
	// The heavier side takes the larger share of regions.
	sa := 0
	for _, v := range a {
		sa += g.size[v]
	}
	if (sa > total-sa) != (k1 > k2) && len(a) >= k2 && len(b) >= k1 {
		k1, k2 = k2, k1
	}
	split(g, region, a, k1, first, m)
	split(g, region, b, k2, first+int32(k1), m)
}

// mend makes every region one piece: a region in several keeps its largest
// and the nodes of the others join neighbouring regions, breadth first from
// where they touch them, so the regions they join stay in one piece. (The
// bisection's fallback for shapes that will not halve can leave pieces.)
func mend(p *partition) {
	g := p.g
	seen := make([]bool, g.n)
	var strays []int32
	for r := range int32(p.k) {
		var pieces [][]int32
		for _, s := range p.member[r] {
			if seen[s] {
				continue
			}
			seen[s] = true
			piece := []int32{s}
			for i := 0; i < len(piece); i++ {
				for _, w := range g.neighbours(piece[i]) {
					if !seen[w] && p.region[w] == r {
						seen[w] = true
						piece = append(piece, w)
					}
				}
			}
			pieces = append(pieces, piece)
		}
		if len(pieces) < 2 {
			continue
		}
		largest := 0
		for i, pc := range pieces {
			if len(pc) > len(pieces[largest]) {
				largest = i
			}
		}
		for i, pc := range pieces {
			if i != largest {
				strays = append(strays, pc...)
			}
		}
	}
	if len(strays) == 0 {
		return
	}
	stray := make([]bool, g.n)
	for _, v := range strays {
		stray[v] = true
	}
	// Hand strays out from the edge inward: each joins the region of a
	// neighbour that is settled.
	for len(strays) > 0 {
		var left []int32
		for _, v := range strays {
			joined := false
			for _, u := range g.neighbours(v) {
				if !stray[u] && p.region[u] != p.region[v] {
					p.move(v, p.region[u])
					stray[v], joined = false, true
					break
				}
			}
			if !joined {
				left = append(left, v)
			}
		}
		if len(left) == len(strays) {
			return // cannot happen on a connected part: every piece touches another region
		}
		strays = left
	}
}

// searchOptions tune the search.
type searchOptions struct {
	moves    int // proposals to try, in all
	progress func(done float64)
}

// swapShare is the share of proposals that trade two nodes rather than
// move one: trades shift small amounts between full regions, which single
// moves cannot do without breaking a bound.
const swapShare = 0.25

// search improves a partition: first it repairs any bound violation, then
// it anneals over moves of one node to a neighbouring region and trades of
// two neighbours, never cutting a region in two nor leaving the bounds, and
// ends at a local optimum. It returns false if the bounds could not be met.
func search(ctx context.Context, p *partition, rnd *rand.Rand, opts searchOptions) bool {
	g := p.g
	mend(p)
	if !repair(p, rnd) {
		return false
	}
	if p.k == 1 {
		return true
	}
	// The temperature starts at the typical size of a move's gain.
	var gains []float64
	for range 400 {
		v := int32(rnd.IntN(g.n))
		nb := g.neighbours(v)
		if len(nb) == 0 {
			continue
		}
		if u := nb[rnd.IntN(len(nb))]; p.region[u] != p.region[v] {
			d, _ := p.gain(v, p.region[u])
			gains = append(gains, math.Abs(d))
		}
	}
	typical := 1.0
	if len(gains) > 0 {
		slices.Sort(gains)
		typical = max(gains[len(gains)/2], 1e-9)
	}
	t0, t1 := typical, typical*1e-3
	best := p.snapshot()
	bestF := p.objective()
	// Rounds of sweeps over the nodes in index order (callers number nodes
	// so that neighbours are near: the sweep then stays in cache), each
	// node proposing one move or trade with a random neighbour.
	const rounds = 40
	sweeps := max(opts.moves/rounds/g.n, 1)
	for round := range rounds {
		if ctx.Err() != nil {
			break
		}
		t := t0 * math.Pow(t1/t0, float64(round)/float64(rounds-1))
		hopeless := -30 * t // a worse move than this is accepted with chance < 1e-13
		for range sweeps {
			for v := range int32(g.n) {
				nb := g.neighbours(v)
				if len(nb) == 0 {
					continue
				}
				// One draw picks the neighbour and whether to trade.
				draw := rnd.Uint64()
				u := nb[uint32(draw)%uint32(len(nb))]
				to := p.region[u]
				if to == p.region[v] {
					continue
				}
				trade := float64(draw>>40)/(1<<24) < swapShare
				var d float64
				if trade {
					if p.swapViol(v, u) > 0 {
						continue
					}
					d = p.tradeGain(v, u)
				} else {
					if p.moveViol(v, to) > 0 {
						continue
					}
					d = p.moveGain(v, to)
				}
				if d < hopeless || d < 0 && rnd.Float64() >= math.Exp(d/t) {
					continue
				}
				if trade {
					if !p.canSwap(v, u) {
						continue
					}
					p.swap(v, u)
				} else {
					if !p.canLeave(v) {
						continue
					}
					p.move(v, to)
				}
			}
		}
		if obj := p.objective(); obj > bestF {
			bestF = obj
			copy(best, p.region)
		}
		if opts.progress != nil {
			opts.progress(float64(round+1) / float64(rounds))
		}
	}
	if p.objective() < bestF {
		p.restore(best)
	}
	climb(p)
	return p.violations() == 0
}

// climb makes improving moves and trades that keep the bounds until none
// is left: a local optimum.
func climb(p *partition) {
	g := p.g
	for pass := 0; pass < 50; pass++ {
		improved := false
		for v := range int32(g.n) {
			from := p.region[v]
			var bestTo, bestU int32 = -1, -1
			bestGain := 1e-9
			for _, u := range g.neighbours(v) {
				to := p.region[u]
				if to == from {
					continue
				}
				if d, dv := p.gain(v, to); d > bestGain && dv <= 0 {
					bestGain, bestTo, bestU = d, to, -1
				}
				if d, dv := p.swapGain(v, u); d > bestGain && dv <= 0 {
					bestGain, bestTo, bestU = d, to, u
				}
			}
			switch {
			case bestTo < 0:
			case bestU >= 0 && p.canSwap(v, bestU):
				p.swap(v, bestU)
				improved = true
			case bestU < 0 && p.canLeave(v):
				p.move(v, bestTo)
				improved = true
			}
		}
		if !improved {
			return
		}
	}
}

// repair brings every region within the bounds. It alternates greedy
// passes — for each region out of bounds, the single move or trade across
// its border that lowers the total violation most — with a walk for what
// the greedy passes cannot mend: the walk works on the regions out of
// bounds, always takes moves that lower the violation and takes those that
// raise it with a chance that cools as it goes, so excess can travel
// through full regions to one with room.
func repair(p *partition, rnd *rand.Rand) bool {
	for round := 0; round < 60; round++ {
		for pass := 0; pass < 50; pass++ {
			progress := false
			for r := range int32(p.k) {
				if p.viol(p.size[r]) > 0 && fixLocal(p, r) {
					progress = true
				}
			}
			if !progress {
				break
			}
		}
		if p.violations() == 0 {
			return true
		}
		walk(p, rnd)
	}
	return p.violations() == 0
}

// walk is repair's random walk over the regions out of bounds.
func walk(p *partition, rnd *rand.Rand) {
	g := p.g
	viol := p.violations()
	var bad []int32
	members := 0
	for r := range p.k {
		if p.viol(p.size[r]) > 0 {
			bad = append(bad, int32(r))
			members += len(p.member[r])
		}
	}
	meanSize := 0.0
	for _, s := range g.size {
		meanSize += float64(s)
	}
	t0 := max(meanSize/float64(g.n), 1)
	// Excess may have to travel through several full regions: the walk
	// needs room to wander even when few regions are out of bounds.
	steps := 200*members + 20000
	cool := math.Pow(0.1/t0, 1/float64(steps))
	t := t0
	for step := 0; viol > 0 && step < steps; step++ {
		t *= cool
		if step%64 == 0 {
			bad = bad[:0]
			for r := range p.k {
				if p.viol(p.size[r]) > 0 {
					bad = append(bad, int32(r))
				}
			}
			if len(bad) == 0 {
				return
			}
		}
		r := bad[rnd.IntN(len(bad))]
		if len(p.member[r]) == 0 {
			continue
		}
		w := p.member[r][rnd.IntN(len(p.member[r]))]
		nb := g.neighbours(w)
		if len(nb) == 0 {
			continue
		}
		u := nb[rnd.IntN(len(nb))]
		if p.region[u] == r {
			continue
		}
		// Over: w leaves r for u's region. Under: u comes into r.
		v, to := w, p.region[u]
		if p.size[r] < p.lo {
			v, to = u, r
		}
		trade := rnd.Float64() < 0.3
		var dv int
		if trade {
			_, dv = p.swapGain(w, u)
		} else {
			_, dv = p.gain(v, to)
		}
		if dv > 0 && rnd.Float64() >= math.Exp(-float64(dv)/t) {
			continue
		}
		if trade {
			if !p.canSwap(w, u) {
				continue
			}
			p.swap(w, u)
		} else {
			if !p.canLeave(v) {
				continue
			}
			p.move(v, to)
		}
		viol += dv
	}
}

// fixLocal makes the single move or trade across r's border that lowers
// the total violation most, and reports whether it found one.
func fixLocal(p *partition, r int32) bool {
	g := p.g
	over := p.size[r] > p.hi
	type cand struct {
		v, u  int32 // move v to u's region; or trade v and u
		trade bool
		dv    int
		gain  float64
	}
	best := cand{dv: 0}
	found := false
	consider := func(c cand) {
		if c.dv < best.dv || c.dv == best.dv && found && c.gain > best.gain {
			if c.dv < 0 {
				best, found = c, true
			}
		}
	}
	for _, w := range p.member[r] {
		for _, u := range g.neighbours(w) {
			h := p.region[u]
			if h == r {
				continue
			}
			if over { // w leaves r
				d, dv := p.gain(w, h)
				consider(cand{v: w, u: u, dv: dv, gain: d})
			} else { // u comes into r
				d, dv := p.gain(u, r)
				consider(cand{v: u, u: w, dv: dv, gain: d})
			}
			d, dv := p.swapGain(w, u)
			consider(cand{v: w, u: u, trade: true, dv: dv, gain: d})
		}
	}
	if !found {
		return false
	}
	switch {
	case best.trade && p.canSwap(best.v, best.u):
		p.swap(best.v, best.u)
		return true
	case !best.trade && p.canLeave(best.v):
		p.move(best.v, p.region[best.u])
		return true
	}
	return false
}
