package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var setupRE = regexp.MustCompile(`(http://\S+/setup\?code=(\S+))`)

// api calls the API with a token, and decodes a 2xx answer into v.
func api(t *testing.T, method, url, token string, body any, v any) int {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if v != nil && res.StatusCode/100 == 2 {
		require.NoError(t, json.NewDecoder(res.Body).Decode(v))
	}
	return res.StatusCode
}

// TestFirstStart is a community's first day on a server of its own: with
// -demo=false on an empty database the server makes nothing but a set-up
// code; the first administrator sets it up in the browser, creates the
// community and a worker's credential; the worker prints a resident's
// sign-in card; the resident signs in with its unit and code, and once
// with its link. A revoked credential is refused, guessing is stopped
// with 429, the session cookie is no token, and /metrics is Prometheus
// text.
func TestFirstStart(t *testing.T) {
	base, out := start(t, filepath.Join(t.TempDir(), "new.db"), "-demo=false")
	m := setupRE.FindStringSubmatch(out.String())
	require.NotNil(t, m, "a set-up link is printed:\n%s", out)
	assert.NotContains(t, out.String(), "demo community")
	var list struct{ Items []any }
	setupCode, _ := url.QueryUnescape(m[2])

	// The administrator sets up in the browser.
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(m[1]), chromedp.WaitReady(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "林主任"), chromedp.Submit(chromedp.CSS("#name")), chromedp.WaitVisible(chromedp.CSS("#token"))))
	admin, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#token")))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(admin, "linli_"), admin)
	res, err := http.Post(base+"/v1/setup", "application/json", strings.NewReader(`{"code":"`+setupCode+`","name":"x"}`))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusConflict, res.StatusCode, "the set-up code works once")

	// … and through the API makes the community, a household and a worker.
	require.Equal(t, 200, api(t, "GET", base+"/v1/communities", admin, nil, &list))
	assert.Empty(t, list.Items, "nothing was made but the set-up code")
	var com, building, household, resident struct{ ID string }
	require.Equal(t, 201, api(t, "POST", base+"/v1/communities", admin, map[string]any{"name": "新桥社区"}, &com))
	c := base + "/v1/communities/" + com.ID
	require.Equal(t, 201, api(t, "POST", c+"/buildings", admin, map[string]any{"name": "12栋"}, &building))
	require.Equal(t, 201, api(t, "POST", c+"/households", admin, map[string]any{"building_id": building.ID, "unit": "2-301", "size": 2}, &household))
	require.Equal(t, 201, api(t, "POST", c+"/residents", admin, map[string]any{"household_id": household.ID, "name": "赵兰英", "sex": "female", "birth_year": 1941}, &resident))
	var worker struct {
		Credential struct{ ID string }
		Token      string
	}
	require.Equal(t, 201, api(t, "POST", c+"/credentials", admin, map[string]any{"kind": "token", "name": "王芳", "roles": []string{"worker"}}, &worker))

	// The worker signs in on the pages and prints the resident's card.
	page := "/c/" + com.ID
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+page+"/signin")), "open the sign-in page")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), worker.Token), chromedp.Click(chromedp.CSS("#token + button")), chromedp.WaitVisible(chromedp.CSS("#needs-waiting"))), "sign in: the worker's desk")
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+page+"/cards?name="+url.QueryEscape("赵")), chromedp.WaitVisible(chromedp.CSS("main table button")),
		chromedp.Click(chromedp.CSS("main table button")), chromedp.WaitVisible(chromedp.CSS("#code"))))
	unit, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#unit")))
	require.NoError(t, err)
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#code")))
	require.NoError(t, err)
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#link').getAttribute('href')`))
	require.NoError(t, err)
	assert.Equal(t, "12栋 2-301", unit)
	assert.Regexp(t, `^\d{4} \d{4}$`, code)
	qr, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('img').naturalWidth > 0`))
	require.NoError(t, err)
	assert.True(t, qr, "the QR code shows")

	// The resident signs in with the unit and code, as typed on a phone.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("header button")), chromedp.WaitVisible(chromedp.CSS("main table"))), "the worker signs out")
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+page+"/signin"), chromedp.WaitReady(chromedp.CSS("#code"))))
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	assert.True(t, fits, "the sign-in page fits a phone's width")
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+page+"/passbook"), chromedp.WaitReady(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#unit"), "12栋2-301"), chromedp.SendKeys(chromedp.CSS("#code"), strings.ReplaceAll(code, " ", "")),
		chromedp.Submit(chromedp.CSS("#code")), chromedp.WaitVisible(chromedp.CSS("#passbook"))))
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header")))
	require.NoError(t, err)
	assert.Contains(t, who, "赵兰英")
	fits, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	assert.True(t, fits, "the passbook fits a phone's width")

	// The session cookie is not a bearer token.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = client.PostForm(base+page+"/signin", url.Values{"token": {worker.Token}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	cookies := res.Cookies()
	require.Len(t, cookies, 1)
	assert.True(t, cookies[0].HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, cookies[0].SameSite)
	assert.NotContains(t, cookies[0].Value, worker.Token[len(worker.Token)-20:])
	assert.Equal(t, 401, api(t, "GET", base+"/v1/me", cookies[0].Value, nil, nil), "a session's cookie is no bearer token")

	// The card's link signs in once; opening it alone does not use it.
	res, err = http.Get(link)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	res, err = client.PostForm(link, nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusSeeOther, res.StatusCode, "the link signs in")
	res, err = client.PostForm(link, nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "once")

	// A cross-site form post is refused (CSRF).
	req, _ := http.NewRequest("POST", base+page+"/signin", strings.NewReader("token=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusForbidden, res.StatusCode)

	// Revoked: the worker's next request is refused.
	require.Equal(t, 200, api(t, "GET", base+"/v1/me", worker.Token, nil, nil))
	require.Equal(t, 200, api(t, "POST", c+"/credentials/"+worker.Credential.ID+"/revoke", admin, nil, nil))
	assert.Equal(t, 401, api(t, "GET", base+"/v1/me", worker.Token, nil, nil))

	// Guessing codes: after ten failures from one address, 429.
	var last *http.Response
	for range 11 {
		last, err = http.PostForm(base+page+"/signin", url.Values{"unit": {"12栋 2-301"}, "code": {"00000000"}})
		require.NoError(t, err)
		last.Body.Close()
	}
	assert.Equal(t, http.StatusTooManyRequests, last.StatusCode)
	assert.NotEmpty(t, last.Header.Get("Retry-After"))

	// /metrics is Prometheus text, with what happened above.
	res, err = http.Get(base + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	require.NoError(t, err)
	for _, name := range []string{"linli_http_requests_total", "linli_http_request_duration_seconds", "linli_page_signin_failures_total",
		"linli_page_signin_rate_limited_total", "linli_auth_failures_total", "go_sql_open_connections"} {
		assert.Contains(t, families, name)
	}
}

// TestMigrateAndBackup: with -migrate=false a new database is refused
// until "server migrate" runs; "server backup" copies it while in use.
func TestMigrateAndBackup(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "ops.db")
	env := func(string) string { return "" }
	var out bytes.Buffer
	err := run(context.Background(), []string{"-db", dsn, "-migrate=false", "-demo=false", "-addr", "127.0.0.1:0"}, env, &out, &out, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "migrate")
	require.NoError(t, run(context.Background(), []string{"migrate", "-db", dsn}, env, &out, &out, nil))
	assert.Contains(t, out.String(), "0012_access.sql")
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"migrate", "-db", dsn}, env, &out, &out, nil))
	assert.Contains(t, out.String(), "every migration")

	base, _ := start(t, dsn, "-migrate=false", "-demo=false")
	res, err := http.Get(base + "/readyz")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	require.NoError(t, run(context.Background(), []string{"backup", "-db", dsn, "-out", filepath.Join(dir, "copy.db")}, env, &out, &out, nil))
	require.NoError(t, run(context.Background(), []string{"migrate", "-db", filepath.Join(dir, "copy.db")}, env, &out, &out, nil))
	assert.Contains(t, out.String(), "every migration", "the copy is the database, schema and all")
	assert.Error(t, run(context.Background(), []string{"backup", "-db", dsn, "-out", filepath.Join(dir, "copy.db")}, env, &out, &out, nil), "never over a file")
}
