package httpapi

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limiter counts failed attempts to authenticate (bearer tokens, sign-in
// codes) by key, a client's address or an account, and refuses a key
// that failed Max times within Window until the window ends. It keeps its
// counts in memory: several servers each count their own, which still
// bounds a guesser to Max per window per server.
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*strikes
}

type strikes struct {
	n     int
	reset time.Time
}

// NewLimiter returns a Limiter that allows max failures per key within
// window (defaults: 10 a minute); now is time.Now if nil.
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if max <= 0 {
		max = 10
	}
	if window <= 0 {
		window = time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, keys: map[string]*strikes{}}
}

// Wait is how long the first refused key must wait; 0 if none is.
func (l *Limiter) Wait(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if s := l.keys[k]; s != nil && s.n >= l.max && now.Before(s.reset) {
			wait = max(wait, s.reset.Sub(now))
		}
	}
	return wait
}

// Fail counts a failure against every key.
func (l *Limiter) Fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.keys) > 100_000 { // forget what has expired, now and then
		for k, s := range l.keys {
			if !now.Before(s.reset) {
				delete(l.keys, k)
			}
		}
	}
	for _, k := range keys {
		s := l.keys[k]
		if s == nil || !now.Before(s.reset) {
			s = &strikes{reset: now.Add(l.window)}
			l.keys[k] = s
		}
		s.n++
	}
}

// ClientAddress is the address a request comes from: the connection's
// peer, or with trustProxy the address the proxy in front of the server
// appended to X-Forwarded-For (the last one: those before it are the
// client's to say, and may be forged).
func ClientAddress(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			last := fwd[len(fwd)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a := strings.TrimSpace(last); a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Secure reports whether the client reached the server over TLS: its own,
// or with trustProxy the proxy's, which says so in X-Forwarded-Proto.
func Secure(r *http.Request, trustProxy bool) bool {
	return r.TLS != nil || trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
