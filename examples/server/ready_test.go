package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestReadiness: while the demo is being made the server answers at once,
// alive on /healthz, not ready on /readyz and on everything else (503
// with Retry-After); once ready, requests (/readyz too) go to the API.
func TestReadiness(t *testing.T) {
	var ready atomic.Bool
	h := readiness(&ready, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	status := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Header().Get("Retry-After")
	}
	code, _ := status("/healthz")
	assert.Equal(t, http.StatusTeapot, code, "liveness goes through")
	for _, path := range []string{"/readyz", "/v1/me", "/"} {
		code, retry := status(path)
		assert.Equal(t, http.StatusServiceUnavailable, code, path)
		assert.Equal(t, "5", retry, path)
	}
	ready.Store(true)
	code, _ = status("/readyz")
	assert.Equal(t, http.StatusTeapot, code, "the API answers readiness once the demo is made")
	code, _ = status("/v1/me")
	assert.Equal(t, http.StatusTeapot, code)
}
