package regroup

import (
	"cmp"
	"slices"
)

// graph is what the partitioner works on: nodes (buildings, or grids when
// forming districts) with a size that the bounds count, a mass and a sum
// vector that the objective uses, and undirected links in CSR form.
type graph struct {
	n    int
	dim  int
	off  []int32   // node i's neighbours are adj[off[i]:off[i+1]]
	adj  []int32   //
	size []int     // what the bounds count: households, or grids
	mass []float64 // households
	vec  []float64 // n × dim: the sum of the node's households' vectors
	norm []float64 // |vec|² per node, filled by finish
}

// finish computes what the search needs from the nodes' vectors.
func (g *graph) finish() *graph {
	g.norm = make([]float64, g.n)
	for v := range int32(g.n) {
		x := g.vector(v)
		g.norm[v] = dot(x, x)
	}
	return g
}

func (g *graph) neighbours(v int32) []int32 { return g.adj[g.off[v]:g.off[v+1]] }
func (g *graph) vector(v int32) []float64   { return g.vec[int(v)*g.dim : int(v+1)*g.dim] }

// newGraph builds a graph from links given as node pairs (duplicates and
// self-links are dropped).
func newGraph(n, dim int, links [][2]int32) *graph {
	deg := make([]int32, n+1)
	seen := make(map[[2]int32]bool, len(links))
	var keep [][2]int32
	for _, l := range links {
		a, b := min(l[0], l[1]), max(l[0], l[1])
		if a == b || seen[[2]int32{a, b}] {
			continue
		}
		seen[[2]int32{a, b}] = true
		keep = append(keep, [2]int32{a, b})
		deg[a+1]++
		deg[b+1]++
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	adj := make([]int32, deg[n])
	fill := make([]int32, n)
	copy(fill, deg[:n])
	for _, l := range keep {
		adj[fill[l[0]]] = l[1]
		fill[l[0]]++
		adj[fill[l[1]]] = l[0]
		fill[l[1]]++
	}
	return &graph{
		n: n, dim: dim, off: deg, adj: adj,
		size: make([]int, n), mass: make([]float64, n), vec: make([]float64, n*dim),
	}
}

// bfsOrder returns the nodes breadth first from a peripheral node of each
// connected part: numbered in this order, neighbours lie near each other in
// memory, which is most of the search's speed on large graphs.
func bfsOrder(g *graph) []int32 {
	seen := make([]bool, g.n)
	order := make([]int32, 0, g.n)
	walk := func(s int32, into []int32) []int32 {
		start := len(into)
		seen[s] = true
		into = append(into, s)
		for i := start; i < len(into); i++ {
			for _, w := range g.neighbours(into[i]) {
				if !seen[w] {
					seen[w] = true
					into = append(into, w)
				}
			}
		}
		return into
	}
	for s := range int32(g.n) {
		if seen[s] {
			continue
		}
		// Find a peripheral node of s's part, then walk from it.
		probe := walk(s, nil)
		for _, v := range probe {
			seen[v] = false
		}
		order = walk(probe[len(probe)-1], order)
	}
	return order
}

// hilbertOrder returns the nodes along a Hilbert curve through their
// positions: compact blocks of the plane come out contiguous, so as a sweep
// goes, consecutive nodes mostly share their regions, whose sums then stay
// in cache. It returns nil when the positions do not spread.
func hilbertOrder(xs, ys []float64) []int32 {
	if len(xs) == 0 {
		return nil
	}
	minX, maxX, minY, maxY := xs[0], xs[0], ys[0], ys[0]
	for i := range xs {
		minX, maxX = min(minX, xs[i]), max(maxX, xs[i])
		minY, maxY = min(minY, ys[i]), max(maxY, ys[i])
	}
	span := max(maxX-minX, maxY-minY)
	if span <= 0 {
		return nil
	}
	const side = 1 << 16
	keys := make([]uint64, len(xs))
	order := make([]int32, len(xs))
	for i := range xs {
		x := uint32((xs[i] - minX) / span * (side - 1))
		y := uint32((ys[i] - minY) / span * (side - 1))
		keys[i] = hilbert(side, x, y)
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(keys[a], keys[b]) })
	return order
}

// hilbert is the distance along a Hilbert curve filling a side × side
// square of the cell (x, y).
func hilbert(side, x, y uint32) uint64 {
	var d uint64
	for s := side / 2; s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 { // rotate the quadrant
			if rx == 1 {
				x, y = side-1-x, side-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// permute returns g with its nodes renumbered: node i of the result is
// node order[i] of g.
func (g *graph) permute(order []int32) *graph {
	newOf := make([]int32, g.n)
	for i, v := range order {
		newOf[v] = int32(i)
	}
	var links [][2]int32
	for v := range int32(g.n) {
		for _, u := range g.neighbours(v) {
			if v < u {
				links = append(links, [2]int32{newOf[v], newOf[u]})
			}
		}
	}
	h := newGraph(g.n, g.dim, links)
	for i, v := range order {
		h.size[i], h.mass[i] = g.size[v], g.mass[v]
		copy(h.vector(int32(i)), g.vector(v))
	}
	return h.finish()
}

// partition is an assignment of a graph's nodes to k regions, with each
// region's totals kept up to date as nodes move.
type partition struct {
	g      *graph
	k      int
	lo, hi int // bounds on each region's size

	region []int32
	count  []int     // nodes per region
	member [][]int32 // nodes of each region, in no order
	at     []int32   // each node's index in its region's member list
	size   []int     // bounded size per region
	mass   []float64 // mass per region
	sum    []float64 // k × dim
	sq     []float64 // |sum|² per region

	// scratch for connectivity checks
	stamp []uint32
	gen   uint32
	queue []int32
}

func newPartition(g *graph, k, lo, hi int, region []int32) *partition {
	p := &partition{
		g: g, k: k, lo: lo, hi: hi, region: region,
		count: make([]int, k), size: make([]int, k), mass: make([]float64, k),
		sum: make([]float64, k*g.dim), sq: make([]float64, k),
		member: make([][]int32, k), at: make([]int32, g.n),
		stamp: make([]uint32, g.n), queue: make([]int32, 0, 64),
	}
	p.recount()
	return p
}

// recount rebuilds every region's totals from the assignment.
func (p *partition) recount() {
	clear(p.count)
	clear(p.size)
	clear(p.mass)
	clear(p.sum)
	for r := range p.member {
		p.member[r] = p.member[r][:0]
	}
	d := p.g.dim
	for v := range p.g.n {
		r := p.region[v]
		p.at[v] = int32(len(p.member[r]))
		p.member[r] = append(p.member[r], int32(v))
		p.count[r]++
		p.size[r] += p.g.size[v]
		p.mass[r] += p.g.mass[v]
		s := p.sum[int(r)*d : int(r+1)*d]
		for i, x := range p.g.vector(int32(v)) {
			s[i] += x
		}
	}
	for r := range p.k {
		p.sq[r] = dot(p.sum[r*d:(r+1)*d], p.sum[r*d:(r+1)*d])
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// f is a region's share of the objective: |S|²/m. The objective, the sum
// of f over regions, is what within-region SSD is short of the total, so
// maximising it minimises within-region SSD.
func f(sq, mass float64) float64 {
	if mass <= 0 {
		return 0
	}
	return sq / mass
}

func (p *partition) objective() float64 {
	var s float64
	for r := range p.k {
		s += f(p.sq[r], p.mass[r])
	}
	return s
}

// viol is how far a region of this size lies outside the bounds.
func (p *partition) viol(size int) int {
	switch {
	case size < p.lo:
		return p.lo - size
	case size > p.hi:
		return size - p.hi
	}
	return 0
}

func (p *partition) violations() int {
	v := 0
	for r := range p.k {
		v += p.viol(p.size[r])
	}
	return v
}

// moveViol is the change of the total bound violation if v moved to
// region to: integers only, so the search checks it before any vector
// arithmetic.
func (p *partition) moveViol(v, to int32) int {
	from, s := p.region[v], p.g.size[v]
	return p.viol(p.size[from]-s) + p.viol(p.size[to]+s) - p.viol(p.size[from]) - p.viol(p.size[to])
}

// swapViol is the same for v and u trading places.
func (p *partition) swapViol(v, u int32) int {
	a, b := p.region[v], p.region[u]
	ds := p.g.size[u] - p.g.size[v]
	return p.viol(p.size[a]+ds) + p.viol(p.size[b]-ds) - p.viol(p.size[a]) - p.viol(p.size[b])
}

// gain is the change of the objective if v moved to region to; dviol is the
// change of the total bound violation.
func (p *partition) gain(v int32, to int32) (gain float64, dviol int) {
	return p.moveGain(v, to), p.moveViol(v, to)
}

// moveGain is the change of the objective if v moved to region to.
func (p *partition) moveGain(v int32, to int32) float64 {
	from := p.region[v]
	d := p.g.dim
	x := p.g.vector(v)
	xx := p.g.norm[v]
	sf := p.sum[int(from)*d : int(from+1)*d]
	st := p.sum[int(to)*d : int(to+1)*d]
	var df, dt float64
	for i, xi := range x {
		df += sf[i] * xi
		dt += st[i] * xi
	}
	m := p.g.mass[v]
	return f(p.sq[from]-2*df+xx, p.mass[from]-m) + f(p.sq[to]+2*dt+xx, p.mass[to]+m) - f(p.sq[from], p.mass[from]) - f(p.sq[to], p.mass[to])
}

// move moves v to region to.
func (p *partition) move(v int32, to int32) {
	from := p.region[v]
	d := p.g.dim
	x := p.g.vector(v)
	sf := p.sum[int(from)*d : int(from+1)*d]
	st := p.sum[int(to)*d : int(to+1)*d]
	for i, xi := range x {
		sf[i] -= xi
		st[i] += xi
	}
	p.sq[from], p.sq[to] = dot(sf, sf), dot(st, st)
	// Take v out of from's members (the last takes its place), into to's.
	mf := p.member[from]
	last := mf[len(mf)-1]
	mf[p.at[v]] = last
	p.at[last] = p.at[v]
	p.member[from] = mf[:len(mf)-1]
	p.at[v] = int32(len(p.member[to]))
	p.member[to] = append(p.member[to], v)
	s, m := p.g.size[v], p.g.mass[v]
	p.count[from]--
	p.count[to]++
	p.size[from] -= s
	p.size[to] += s
	p.mass[from] -= m
	p.mass[to] += m
	p.region[v] = to
}

// swapGain is the change of the objective, and of the bound violation, if
// v and u (in different regions) traded places.
func (p *partition) swapGain(v, u int32) (gain float64, dviol int) {
	return p.tradeGain(v, u), p.swapViol(v, u)
}

// tradeGain is the change of the objective if v and u traded places.
func (p *partition) tradeGain(v, u int32) float64 {
	a, b := p.region[v], p.region[u]
	dm := p.g.dim
	xv, xu := p.g.vector(v), p.g.vector(u)
	sa := p.sum[int(a)*dm : int(a+1)*dm]
	sb := p.sum[int(b)*dm : int(b+1)*dm]
	// d = xu − xv moves into a and out of b.
	var dd, sad, sbd float64
	for i := range xv {
		d := xu[i] - xv[i]
		dd += d * d
		sad += sa[i] * d
		sbd += sb[i] * d
	}
	dmass := p.g.mass[u] - p.g.mass[v]
	return f(p.sq[a]+2*sad+dd, p.mass[a]+dmass) + f(p.sq[b]-2*sbd+dd, p.mass[b]-dmass) - f(p.sq[a], p.mass[a]) - f(p.sq[b], p.mass[b])
}

// canSwap reports whether v and u can trade places and leave both regions
// in one piece: each leaves its region whole (or alone), and the other
// joins it next to a remaining member.
func (p *partition) canSwap(v, u int32) bool {
	a, b := p.region[v], p.region[u]
	touches := func(x int32, r int32, except int32) bool {
		for _, w := range p.g.neighbours(x) {
			if w != except && p.region[w] == r {
				return true
			}
		}
		return false
	}
	okA := p.count[a] == 1 || p.canLeave(v) && touches(u, a, v)
	return okA && (p.count[b] == 1 || p.canLeave(u) && touches(v, b, u))
}

// swap trades the regions of v and u.
func (p *partition) swap(v, u int32) {
	a, b := p.region[v], p.region[u]
	p.move(v, b)
	p.move(u, a)
}

// canLeave reports whether v can leave its region without emptying it or
// cutting it in two: every neighbour of v in the region must still reach
// the others without passing through v. The search stops as soon as they
// are all found, so a node whose neighbours touch each other costs little.
func (p *partition) canLeave(v int32) bool {
	r := p.region[v]
	if p.count[r] <= 1 {
		return false
	}
	var first int32 = -1
	want := 0
	for _, u := range p.g.neighbours(v) {
		if p.region[u] == r {
			if first < 0 {
				first = u
			}
			want++
		}
	}
	if want <= 1 {
		return want == 1
	}
	p.gen++
	if p.gen == 0 { // wrapped: clear the stamps
		clear(p.stamp)
		p.gen = 1
	}
	gen := p.gen
	p.stamp[v] = gen // never enter v
	p.stamp[first] = gen
	q := append(p.queue[:0], first)
	found := 1
	// Count v's region-neighbours as they are reached.
	isNb := func(u int32) bool {
		for _, w := range p.g.neighbours(v) {
			if w == u {
				return true
			}
		}
		return false
	}
	for len(q) > 0 {
		u := q[len(q)-1]
		q = q[:len(q)-1]
		for _, w := range p.g.neighbours(u) {
			if p.region[w] != r || p.stamp[w] == gen {
				continue
			}
			p.stamp[w] = gen
			if isNb(w) {
				found++
				if found == want {
					p.queue = q
					return true
				}
			}
			q = append(q, w)
		}
	}
	p.queue = q
	return false
}

// connected reports whether every region is one piece, and counts the
// regions that are not.
func (p *partition) disconnected() int {
	seen := make([]bool, p.g.n)
	pieces := make([]int, p.k)
	var q []int32
	for s := range p.g.n {
		if seen[s] {
			continue
		}
		r := p.region[s]
		pieces[r]++
		seen[s] = true
		q = append(q[:0], int32(s))
		for len(q) > 0 {
			u := q[len(q)-1]
			q = q[:len(q)-1]
			for _, w := range p.g.neighbours(u) {
				if !seen[w] && p.region[w] == r {
					seen[w] = true
					q = append(q, w)
				}
			}
		}
	}
	bad := 0
	for _, n := range pieces {
		if n != 1 {
			bad++
		}
	}
	return bad
}

// snapshot copies the assignment.
func (p *partition) snapshot() []int32 { return append([]int32(nil), p.region...) }

// restore returns to a snapshot.
func (p *partition) restore(s []int32) {
	copy(p.region, s)
	p.recount()
}
