package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
)

// claims are what an identity provider vouches for, as an OIDC ID token's
// payload would carry them.
type claims struct {
	Subject   string `json:"sub"`
	Name      string `json:"name"`
	Community string `json:"community"`
	Role      string `json:"role"`
}

// Bring your own sign-in: the server asks the hook who makes each request.
// Here the hook checks a token signed by the deployment's identity
// provider (an HMAC stands in for an OIDC provider's signature, so the
// example needs no network) and maps its claims to a linli principal.
func ExampleConfig_authenticate() {
	key := []byte("the identity provider's key")
	sign := func(c claims) string {
		payload, _ := json.Marshal(c)
		mac := hmac.New(sha256.New, key)
		mac.Write(payload)
		return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	verify := func(r *http.Request) (grids.Principal, error) {
		payload, sig, ok := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), ".")
		body, err1 := base64.RawURLEncoding.DecodeString(payload)
		got, err2 := base64.RawURLEncoding.DecodeString(sig)
		mac := hmac.New(sha256.New, key)
		mac.Write(body)
		if !ok || err1 != nil || err2 != nil || !hmac.Equal(got, mac.Sum(nil)) {
			return grids.Principal{}, errors.New("bad signature") // answered as 401, the reason logged
		}
		var c claims
		if err := json.Unmarshal(body, &c); err != nil {
			return grids.Principal{}, err
		}
		return grids.Principal{ID: "oidc:" + c.Subject, CommunityID: c.Community, Name: c.Name, Roles: []grids.Role{grids.Role(c.Role)}}, nil
	}

	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	com, _ := reg.CreateCommunity(grids.WithPrincipal(context.Background(), grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	srv := httptest.NewServer(httpapi.NewServer(httpapi.Config{Registry: reg, Authenticate: verify}))
	defer srv.Close()

	for _, token := range []string{
		sign(claims{Subject: "li.na", Name: "李娜", Community: com.ID, Role: "worker"}),
		sign(claims{Subject: "li.na", Name: "李娜", Community: com.ID, Role: "worker"})[:20] + "forged",
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/communities/"+com.ID+"/summary", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			continue
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	// Output:
	// 200
	// 401
}
