package ledger

import "sync"

// Memory is an Engine behind a lock: the ledger in memory, safe for
// concurrent use.
type Memory struct {
	mu sync.Mutex
	e  *Engine
}

// NewMemory returns an empty ledger in memory; now is its clock in
// nanoseconds (time.Now if nil).
func NewMemory(now func() int64) *Memory { return &Memory{e: NewEngine(now)} }

// CreateAccounts creates accounts, appending one result each to results.
func (m *Memory) CreateAccounts(accounts []Account, results []Result) []Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.e.CreateAccounts(accounts, results)
}

// CreateTransfers creates transfers, appending one result each to results
// (pass the previous call's slice to reuse it).
func (m *Memory) CreateTransfers(transfers []Transfer, results []Result) []Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.e.CreateTransfers(transfers, results)
}

// View runs fn with the engine under the lock, for reads.
func (m *Memory) View(fn func(e *Engine)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fn(m.e)
}
