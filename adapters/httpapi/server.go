package httpapi

import (
	"bytes"
	"context"
	"errors"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/prometheus/client_golang/prometheus"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points"
)

// Config wires the server to its services.
type Config struct {
	Registry *grids.Registry
	// Governance serves the governance routes; without it they answer 404.
	// A community created through the API gets its council, think tank and
	// eight committees from it at once.
	Governance *governance.Service
	// Points serves the volunteer bank's routes; without it they answer 404.
	Points *points.Service
	// Funds serves the funds' routes; without it they answer 404.
	Funds *funds.Service
	// Access checks bearer tokens and serves the credentials' routes
	// (issue, list, revoke, the first set-up); without it they answer 404
	// and only Authenticate says who makes a request.
	Access *access.Service
	// Authenticate, if set, says who makes a request instead of linli's
	// bearer tokens: a deployment's OIDC,
	// WeChat sign-in or single sign-on. It returns the principal, or an
	// error (a grids.Error keeps its code; any other is a 401 whose detail
	// is not shown). What follows from an office is still read from the
	// positions held, never from the principal's roles.
	Authenticate func(r *http.Request) (grids.Principal, error)
	// Replays keeps the responses to POSTs made with an Idempotency-Key;
	// in this process's memory if nil (sqlstore.DB.Replays keeps them in
	// the database, across restarts and servers).
	Replays Replays
	// Limiter refuses, with 429, an address or a credential after too many
	// failed bearer tokens (default: 10 a minute each); share one with the
	// pages that sign in, so a guesser cannot switch between them.
	Limiter *Limiter
	// TrustProxy takes the client's address from X-Forwarded-For (its
	// last entry), and TLS from X-Forwarded-Proto: set it only behind a
	// proxy that sets them.
	TrustProxy bool
	// Metrics, if set, receives the API's metrics (requests by route and
	// status, their latency, failed and refused sign-ins); serve them
	// with promhttp from the registry it belongs to.
	Metrics prometheus.Registerer
	// Ping reports whether the database answers, for /readyz (/healthz
	// touches no database); optional.
	Ping   func(context.Context) error
	Logger *slog.Logger     // discards if nil
	Now    func() time.Time // time.Now if nil
	// MaxBody bounds JSON bodies (default 1 MiB); MaxImport bounds an
	// import's files together (default 64 MiB).
	MaxBody, MaxImport int64
}

type server struct {
	mux        *http.ServeMux
	registry   *grids.Registry
	gov        *governance.Service
	points     *points.Service
	fundSvc    *funds.Service
	access     *access.Service
	auth       func(r *http.Request) (grids.Principal, error)
	limiter    *Limiter
	trustProxy bool
	metrics    *metrics
	replays    Replays
	ping       func(context.Context) error
	log        *slog.Logger
	now        func() time.Time
	maxBody    int64
	maxFiles   int64
	spec       []byte   // the OpenAPI document
	patterns   []string // every route, for the test that holds the document to them
	// outcomes and bulletins are kept by the versions of their records:
	// computed once, served until a write.
	tables    *outcome.Cache
	bulletins *bulletin.Cache
}

// NewServer returns the HTTP API as a handler.
func NewServer(cfg Config) http.Handler {
	s := &server{
		mux: http.NewServeMux(), registry: cfg.Registry, gov: cfg.Governance, points: cfg.Points, fundSvc: cfg.Funds, access: cfg.Access, auth: cfg.Authenticate,
		limiter: cfg.Limiter, trustProxy: cfg.TrustProxy, metrics: newMetrics(cfg.Metrics), replays: cfg.Replays, ping: cfg.Ping,
		log: cfg.Logger, now: cfg.Now, maxBody: cfg.MaxBody, maxFiles: cfg.MaxImport,
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.tables, s.bulletins = outcome.NewCache(s.outcomeSources()), bulletin.NewCache(s.bulletinSources(), s.registry)
	s.log = slog.New(requestLog{s.log.Handler()})
	if s.now == nil {
		s.now = time.Now
	}
	if s.limiter == nil {
		s.limiter = NewLimiter(0, 0, s.now)
	}
	if s.replays == nil {
		s.replays = NewMemoryReplays()
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.maxFiles <= 0 {
		s.maxFiles = 64 << 20
	}
	s.spec = committedDocument
	s.routes()
	return s
}

// handle registers a route; a PATCH takes an If-Match (and an
// authenticated POST an Idempotency-Key: see authed).
func (s *server) handle(pattern string, h http.HandlerFunc) {
	s.patterns = append(s.patterns, pattern)
	if strings.HasPrefix(pattern, "PATCH ") {
		h = s.ifMatch(h)
	}
	s.mux.HandleFunc(pattern, h)
}

// ServeHTTP recovers from panics, refuses malformed URLs and answers
// unmatched routes with problems rather than the mux's plain text.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	info := &requestInfo{id: requestID(r)}
	r = r.WithContext(withRequest(r.Context(), info))
	w.Header().Set("X-Request-ID", info.id)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.log.ErrorContext(r.Context(), "panic", slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			if !rec.wrote {
				s.writeError(rec, r, errs.Internalf("panic: %v", v))
			}
		}
		took := s.now().Sub(start)
		s.log.InfoContext(r.Context(), "request", slog.String("method", r.Method),
			slog.Int("status", rec.status), slog.Duration("took", took))
		s.metrics.request(info.pattern, r.Method, rec.status, took)
	}()
	rec.Header().Set("X-Content-Type-Options", "nosniff")
	if !utf8.ValidString(r.URL.Path) || strings.ContainsFunc(r.URL.Path, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
		s.writeProblem(rec, http.StatusBadRequest, Problem{Code: errs.Invalid, Detail: "the URL path holds invalid characters"})
		return
	}
	h, pattern := s.mux.Handler(r)
	info.pattern = pattern
	if pattern == "" {
		// The mux would answer 404 or 405 in plain text: keep its status
		// and Allow header, answer with a problem.
		probe := &statusRecorder{ResponseWriter: discard{h: http.Header{}}}
		h.ServeHTTP(probe, r)
		status := probe.status
		if status < 400 {
			s.mux.ServeHTTP(rec, r) // a redirect to the canonical path
			return
		}
		detail := "no such resource: " + r.URL.Path
		if allow := probe.Header().Get("Allow"); allow != "" {
			rec.Header().Set("Allow", allow)
			detail = r.Method + " is not allowed here; allowed: " + allow
		}
		code := errs.NotFound
		if status == http.StatusMethodNotAllowed {
			code = errs.Invalid
		}
		s.writeProblem(rec, status, Problem{Code: code, Detail: detail})
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// statusRecorder passes a response on and notes its status, and keeps a
// copy of its body if body is set.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   *bytes.Buffer
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	if r.body != nil {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

// discard is a ResponseWriter that keeps only headers.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// handler is an HTTP handler that may fail; the error becomes a problem.
type handler func(w http.ResponseWriter, r *http.Request) error

// public serves a handler that needs no token.
func (s *server) public(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// authed serves a handler for an authenticated principal, who then acts in
// the request's context; a POST runs under its Idempotency-Key, which is
// the principal's.
func (s *server) authed(h handler) http.HandlerFunc {
	return s.public(func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.principalOf(r)
		if err != nil {
			return err
		}
		r = r.WithContext(grids.WithPrincipal(r.Context(), p))
		if r.Method == http.MethodPost {
			s.idempotent(p, s.public(h))(w, r)
			return nil
		}
		return h(w, r)
	})
}

// fail writes err as a problem, with its own status where it has one.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var later *retryLater
	if errors.As(err, &later) {
		s.writeRetryLater(w, later)
		return
	}
	if st, ok := err.(*errStatus); ok {
		s.writeProblem(w, st.status, Problem{Code: st.err.Code, Detail: st.err.Error(), Errors: st.err.Fields})
		return
	}
	s.writeError(w, r, err)
}
