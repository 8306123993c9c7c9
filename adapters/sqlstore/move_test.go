package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

var moveAdmin = grids.WithPrincipal(context.Background(), grids.Admin("test"))

// moving is a router over two databases of one dialect, shard1 (which
// keeps the directory) and shard2, and the databases.
type moving struct {
	r        *shard.Router
	src, dst *sqlstore.DB
	reg      *grids.Registry
}

func newMoving(t *testing.T, open func(testing.TB, func() time.Time) *sqlstore.DB, now func() time.Time) moving {
	t.Helper()
	src, dst := open(t, now), open(t, now)
	r, err := shard.New(src.Directory(), src.Shard("shard1"), dst.Shard("shard2"))
	require.NoError(t, err)
	return moving{r: r, src: src, dst: dst, reg: grids.NewRegistry(r.Grids(), grids.Options{})}
}

// seededDemo seeds the demo community (registry, governance, funds and
// points, so a move carries every kind of record and both ledgers) once,
// on SQLite, and exports it: each dialect's test imports it, which is
// much faster than seeding it there through the services.
func seededDemo(t *testing.T) (export []byte, community string) {
	t.Helper()
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	travel := func(at time.Time) { clock.Store(at.UnixNano()) }
	db := sqltest.SQLiteAt(t, func() time.Time { return time.Unix(0, clock.Load()) })
	c := demotest.Community(t, grids.NewRegistry(db.Grids(), grids.Options{}))
	_, err := governancedemo.Seed(ctx, db.Governance(), db.Grids(), c.ID, demotest.End, 1)
	require.NoError(t, err)
	_, err = fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}, c.ID, demotest.End, 1, travel)
	require.NoError(t, err)
	_, err = pointsdemo.Seed(ctx, pointsdemo.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}, c.ID, demotest.End, 1, travel)
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = db.Export(ctx, c.ID, &b)
	require.NoError(t, err)
	return b.Bytes(), c.ID
}

// holding imports an export into shard1's database, made before there
// were shards, and has the router adopt it there.
func (m moving) holding(t *testing.T, export []byte) {
	t.Helper()
	ctx := context.Background()
	_, err := m.src.Import(ctx, bytes.NewReader(export))
	require.NoError(t, err)
	n, err := m.r.Adopt(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// withWorker makes a community of one worker.
func (m moving) withWorker(t *testing.T) grids.Community {
	t.Helper()
	c, err := m.reg.CreateCommunity(moveAdmin, grids.CommunityInput{Name: "甲社区"})
	require.NoError(t, err)
	_, err = m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "王"})
	require.NoError(t, err)
	return c
}

// audited runs the volunteer bank's and the funds' auditors on the copy.
func audited(ctx context.Context, community string, on *shard.Router) error {
	ps := points.NewService(on.Points(), governance.Lookup{Store: on.Governance()}, grids.Lookup{Store: on.Grids()}, points.Options{})
	a, err := ps.Audit(moveAdmin, community)
	if err != nil {
		return err
	}
	if len(a.Disagreements) > 0 {
		return fmt.Errorf("the points books disagree: %v", a.Disagreements)
	}
	fs := funds.NewService(on.Funds(), governance.Lookup{Store: on.Governance()}, grids.Lookup{Store: on.Grids()}, funds.Options{})
	if a, err = fs.Audit(moveAdmin, community); err != nil {
		return err
	}
	if len(a.Disagreements) > 0 {
		return fmt.Errorf("the funds' books disagree: %v", a.Disagreements)
	}
	return nil
}

// TestMoveUnderLoad moves a community between two databases while four
// writers register workers in it and two readers count them: no write
// acknowledged is lost, none refused is made, every read sees the whole
// community (its buildings, its residents, at least the workers
// acknowledged before it began), and the copy passes both auditors before
// the directory flips.
func TestMoveUnderLoad(t *testing.T) {
	export, community := seededDemo(t)
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			m := newMoving(t, d.OpenAt, nil)
			m.holding(t, export)
			c := grids.Community{ID: community}
			ctx := context.Background()
			residents := countOf(t, m.reg, c.ID)
			// A router of another server, which keeps the directory's
			// answers far longer than the move's grace, and has looked the
			// community up.
			cached, err := shard.New(shard.NewCached(m.src.Directory(), time.Hour), m.src.Shard("shard1"), m.dst.Shard("shard2"))
			require.NoError(t, err)
			cachedReg := grids.NewRegistry(cached.Grids(), grids.Options{})
			_, err = cachedReg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "早到的义工"})
			require.NoError(t, err)

			var (
				mu       sync.Mutex
				acked    []string
				refused  atomic.Int64
				reads    atomic.Int64
				stop     = make(chan struct{})
				wg       sync.WaitGroup
				failures = make(chan error, 16)
			)
			fail := func(err error) {
				select {
				case failures <- err:
				default:
				}
			}
			for w := range 4 {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						for {
							wk, err := m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: fmt.Sprintf("义工%d-%d", w, i)})
							if errors.Is(err, shard.ErrMoving) {
								refused.Add(1)
								time.Sleep(5 * time.Millisecond)
								continue
							}
							if err != nil {
								fail(fmt.Errorf("writer %d: %w", w, err))
								return
							}
							mu.Lock()
							acked = append(acked, wk.ID)
							mu.Unlock()
							break
						}
					}
				})
			}
			for range 2 {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						mu.Lock()
						before := len(acked)
						mu.Unlock()
						_, total, err := m.reg.FindWorkers(moveAdmin, grids.WorkerFilter{CommunityID: c.ID, Page: grids.Page{Limit: 1}})
						if err != nil {
							fail(fmt.Errorf("reader: %w", err))
							return
						}
						if total < before {
							fail(fmt.Errorf("a read found %d workers after %d were acknowledged", total, before))
							return
						}
						if n := countOf(t, m.reg, c.ID); n != residents {
							fail(fmt.Errorf("a read found %d residents of %d", n, residents))
							return
						}
						reads.Add(1)
					}
				})
			}
			time.Sleep(300 * time.Millisecond)
			moved, err := m.r.Move(ctx, c.ID, "shard2", shard.MoveOptions{Grace: 300 * time.Millisecond, Check: audited})
			time.Sleep(300 * time.Millisecond)
			close(stop)
			wg.Wait()
			close(failures)
			for err := range failures {
				t.Error(err)
			}
			require.NoError(t, err)
			t.Logf("%s: moved in %v read-only, %d writes acknowledged, %d refused while moving, %d reads", d.Name, moved.ReadOnly, len(acked), refused.Load(), reads.Load())
			assert.Equal(t, "shard2", moved.To)
			assert.NotEmpty(t, moved.Digest)
			where, err := m.r.Locate(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, "shard2", where)

			// Every acknowledged write is on the new shard, and nothing else.
			got := map[string]bool{}
			for page := (grids.Page{Limit: grids.MaxLimit}); ; {
				ws, _, err := m.reg.FindWorkers(moveAdmin, grids.WorkerFilter{CommunityID: c.ID, Page: page})
				require.NoError(t, err)
				for _, w := range ws {
					got[w.ID] = true
				}
				if len(ws) < page.Limit {
					break
				}
				page.After = ws[len(ws)-1].ID
			}
			for _, id := range acked {
				assert.True(t, got[id], "worker %s was acknowledged and is not on the new shard", id)
			}
			seeded := len(got) - len(acked)
			assert.GreaterOrEqual(t, seeded, 0)
			assert.Positive(t, len(acked))
			require.NoError(t, audited(ctx, c.ID, m.r), "the books agree where the community is now")

			// The old copy is gone, and a write routed by an older lookup
			// follows the community.
			_, err = grids.NewRegistry(m.src.Grids(), grids.Options{}).Community(moveAdmin, c.ID)
			assert.ErrorIs(t, err, grids.NotFound, "the old copy is removed")
			stale, err := shard.New(shard.NewStatic(map[string]string{c.ID: "shard1"}), m.src.Shard("shard1"), m.dst.Shard("shard2"))
			require.NoError(t, err)
			_, err = grids.NewRegistry(stale.Grids(), grids.Options{}).CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "迟到的义工"})
			assert.ErrorIs(t, err, shard.ErrMoved, "a router whose directory still says shard1 is told the community moved")
			assert.Equal(t, errs.Unavailable, errs.CodeOf(err))
			late, err := cachedReg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "迟到的义工"})
			require.NoError(t, err, "a router that kept the old answer forgets it and follows the community")
			_, err = m.reg.Worker(moveAdmin, c.ID, late.ID)
			require.NoError(t, err, "the write is where the community is")
		})
	}
}

// countOf counts a community's residents.
func countOf(t *testing.T, reg *grids.Registry, community string) int {
	_, n, err := reg.FindResidents(moveAdmin, grids.ResidentFilter{CommunityID: community, Page: grids.Page{Limit: 1}})
	if err != nil {
		return -1
	}
	return n
}

// TestFence: a fenced community refuses routed writes with ErrMoving
// (unavailable) and goes on being read; lifting the fence lets them in.
func TestFence(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			ctx := context.Background()
			m := newMoving(t, d.OpenAt, nil)
			c := m.withWorker(t)
			require.NoError(t, m.src.Fence(ctx, c.ID))
			_, err := m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "李"})
			require.ErrorIs(t, err, shard.ErrMoving)
			assert.Equal(t, errs.Unavailable, errs.CodeOf(err))
			_, n, err := m.reg.FindWorkers(moveAdmin, grids.WorkerFilter{CommunityID: c.ID})
			require.NoError(t, err, "reads go on")
			assert.Equal(t, 1, n, "the refused write made nothing")
			// Writes not routed by a Router (one database, no shards) do
			// not meet fences.
			_, err = grids.NewRegistry(m.src.Grids(), grids.Options{}).CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "赵"})
			require.NoError(t, err)
			require.NoError(t, m.src.Unfence(ctx, c.ID))
			_, err = m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "李"})
			require.NoError(t, err)
			assert.ErrorIs(t, m.src.Fence(ctx, "01KKA00000000000000000NONE"), grids.NotFound)
		})
	}
}

// TestMoveGivenUp: a move whose copy fails its check leaves the community
// where it was, writable, and no copy on the other shard; a move cut off
// (fenced and copied, then nothing) is started over by the next, which
// succeeds; and a move back returns it.
func TestMoveGivenUp(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			ctx := context.Background()
			m := newMoving(t, d.OpenAt, nil)
			c := m.withWorker(t)
			_, err := m.r.Move(ctx, c.ID, "shard2", shard.MoveOptions{Check: func(context.Context, string, *shard.Router) error {
				return errors.New("the auditor disagrees")
			}})
			require.ErrorContains(t, err, "the auditor disagrees")
			where, err := m.r.Locate(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, "shard1", where)
			_, err = grids.NewRegistry(m.dst.Grids(), grids.Options{}).Community(moveAdmin, c.ID)
			assert.ErrorIs(t, err, grids.NotFound, "the copy was discarded")
			_, err = m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "李"})
			require.NoError(t, err, "writes resume")

			_, err = m.r.Move(ctx, c.ID, "shard1", shard.MoveOptions{})
			assert.Equal(t, errs.Invalid, errs.CodeOf(err), "a community is not moved where it is")

			// A mover killed after it fenced and copied leaves the community
			// read-only and a copy on the other shard; the next move starts
			// over.
			require.NoError(t, m.src.Fence(ctx, c.ID))
			var copied bytes.Buffer
			require.NoError(t, m.src.Copy(ctx, c.ID, &copied))
			require.NoError(t, m.dst.Receive(ctx, &copied))
			_, err = m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "孙"})
			require.ErrorIs(t, err, shard.ErrMoving, "read-only until a move runs again")
			_, err = m.r.Move(ctx, c.ID, "shard2", shard.MoveOptions{Grace: time.Millisecond})
			require.NoError(t, err)
			_, err = m.r.Move(ctx, c.ID, "shard1", shard.MoveOptions{Grace: time.Millisecond})
			require.NoError(t, err, "and back, over the marker its first move left")
			_, n, err := m.reg.FindWorkers(moveAdmin, grids.WorkerFilter{CommunityID: c.ID})
			require.NoError(t, err)
			assert.Equal(t, 2, n, "the refused write made nothing")
			_, err = m.reg.CreateWorker(moveAdmin, c.ID, grids.WorkerInput{Name: "赵"})
			require.NoError(t, err, "writable where it is back")
		})
	}
}
