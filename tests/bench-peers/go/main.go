// Command go-peer is the Go peer of `cdx-bench`: the cdx/v1 calls a Go user makes, written the
// way Confluent's Go SDK (an OpenAPI Generator client) makes them — a Configuration with the
// server URL, a user agent and an *http.Client; basic auth taken from the context; each request
// built from a path, url.Values and a JSON-encoded body; the whole response read, its
// Content-Type checked, then json.Unmarshal into models whose fields are pointers and whose
// timestamps are time.Time. The SDK module itself is not served by the module proxy this
// project can reach, so this is our own code in its shape (standard library only).
//
// It is a worker: it reads commands from stdin, one a line, `OP N` (OP: redeem, token_inspect,
// get_consumer_share, list), performs N operations, and answers with one JSON line:
// {"op","n","ns":[per-operation wall nanoseconds],"cpu_ns","items","maxrss_kib"} or {"error"}.
// The server URL, the API key and secret, and the share token come from the environment
// (CDX_BENCH_URL, CDX_BENCH_KEY, CDX_BENCH_SECRET, CDX_BENCH_TOKEN), never from argv.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ---- the client, in the SDK's shape ----

// Configuration is what the SDK's NewConfiguration returns, filled in by the user.
type Configuration struct {
	ServerURL     string
	UserAgent     string
	DefaultHeader map[string]string
	HTTPClient    *http.Client
}

// BasicAuth is passed in the context, as the SDK's ContextBasicAuth.
type BasicAuth struct{ UserName, Password string }

type ctxKey string

const ContextBasicAuth ctxKey = "basic"

type APIClient struct{ cfg *Configuration }

var jsonCheck = regexp.MustCompile(`(?i:(?:application|text)/(?:vnd\.[^;]+\+)?json)`)

// APIError carries the status and the body of a failed call.
type APIError struct {
	Status string
	Body   []byte
}

func (e *APIError) Error() string { return e.Status }

func (c *APIClient) prepareRequest(ctx context.Context, path, method string, body interface{},
	header map[string]string, query url.Values) (*http.Request, error) {
	var buf *bytes.Buffer
	if body != nil {
		buf = &bytes.Buffer{}
		if err := json.NewEncoder(buf).Encode(body); err != nil {
			return nil, err
		}
		header["Content-Type"] = "application/json"
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	for k, vs := range query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	var req *http.Request
	if buf != nil {
		req, err = http.NewRequest(method, u.String(), buf)
	} else {
		req, err = http.NewRequest(method, u.String(), nil)
	}
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
	}
	req.Header = h
	req.Header.Add("User-Agent", c.cfg.UserAgent)
	req = req.WithContext(ctx)
	if auth, ok := ctx.Value(ContextBasicAuth).(BasicAuth); ok {
		req.SetBasicAuth(auth.UserName, auth.Password)
	}
	for k, v := range c.cfg.DefaultHeader {
		req.Header.Add(k, v)
	}
	return req, nil
}

// execute sends the request, reads the whole body and decodes it into out.
func (c *APIClient) execute(req *http.Request, out interface{}) error {
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return &APIError{Status: resp.Status, Body: b}
	}
	if !jsonCheck.MatchString(resp.Header.Get("Content-Type")) {
		return errors.New("undefined response type")
	}
	return json.Unmarshal(b, out)
}

func (c *APIClient) call(ctx context.Context, method, path string, body interface{},
	query url.Values, out interface{}) error {
	header := map[string]string{"Accept": "application/json"}
	req, err := c.prepareRequest(ctx, c.cfg.ServerURL+path, method, body, header, query)
	if err != nil {
		return err
	}
	return c.execute(req, out)
}

// ---- the models used (pointer fields, as generated) ----

type ObjectMeta struct {
	Self         *string    `json:"self,omitempty"`
	ResourceName *string    `json:"resource_name,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
}

type ListMeta struct {
	First     *string `json:"first,omitempty"`
	Last      *string `json:"last,omitempty"`
	Prev      *string `json:"prev,omitempty"`
	Next      *string `json:"next,omitempty"`
	TotalSize *int32  `json:"total_size,omitempty"`
}

type ObjectReference struct {
	Id           *string `json:"id,omitempty"`
	Related      *string `json:"related,omitempty"`
	ResourceName *string `json:"resource_name,omitempty"`
}

type ConsumerShareStatus struct {
	Phase        *string `json:"phase,omitempty"`
	ErrorMessage *string `json:"error_message,omitempty"`
}

type ConsumerShare struct {
	ApiVersion               *string              `json:"api_version,omitempty"`
	Kind                     *string              `json:"kind,omitempty"`
	Id                       *string              `json:"id,omitempty"`
	Metadata                 *ObjectMeta          `json:"metadata,omitempty"`
	ProviderUserName         *string              `json:"provider_user_name,omitempty"`
	ProviderOrganizationName *string              `json:"provider_organization_name,omitempty"`
	ConsumerUserName         *string              `json:"consumer_user_name,omitempty"`
	ConsumerOrganizationName *string              `json:"consumer_organization_name,omitempty"`
	ConsumerUser             *ObjectReference     `json:"consumer_user,omitempty"`
	ProviderUser             *ObjectReference     `json:"provider_user,omitempty"`
	Status                   *ConsumerShareStatus `json:"status,omitempty"`
	InviteExpiresAt          *time.Time           `json:"invite_expires_at,omitempty"`
}

type ConsumerShareList struct {
	ApiVersion *string         `json:"api_version,omitempty"`
	Kind       *string         `json:"kind,omitempty"`
	Metadata   *ListMeta       `json:"metadata,omitempty"`
	Data       []ConsumerShare `json:"data,omitempty"`
}

type Schema struct {
	Subject    *string `json:"subject,omitempty"`
	Version    *int32  `json:"version,omitempty"`
	Id         *int32  `json:"id,omitempty"`
	SchemaType *string `json:"schema_type,omitempty"`
	Schema     *string `json:"schema,omitempty"`
}

type ConsumerSharedResource struct {
	ApiVersion              *string      `json:"api_version,omitempty"`
	Kind                    *string      `json:"kind,omitempty"`
	Id                      *string      `json:"id,omitempty"`
	Metadata                *ObjectMeta  `json:"metadata,omitempty"`
	Cloud                   *string      `json:"cloud,omitempty"`
	NetworkConnectionTypes  *[]string    `json:"network_connection_types,omitempty"`
	DisplayName             *string      `json:"display_name,omitempty"`
	Description             *string      `json:"description,omitempty"`
	Tags                    *[]string    `json:"tags,omitempty"`
	Schemas                 *[]Schema    `json:"schemas,omitempty"`
	OrganizationName        *interface{} `json:"organization_name,omitempty"`
	OrganizationDescription *string      `json:"organization_description,omitempty"`
	OrganizationContact     *string      `json:"organization_contact,omitempty"`
	LogoUrl                 *string      `json:"logo_url,omitempty"`
}

type SharedResourcesResponse struct {
	ConsumerSharedResources *[]ConsumerSharedResource `json:"consumer_shared_resources,omitempty"`
}

type SharedTopic struct {
	Kind  *string `json:"kind,omitempty"`
	Topic *string `json:"topic,omitempty"`
}

type SharedGroup struct {
	Kind        *string `json:"kind,omitempty"`
	GroupPrefix *string `json:"group_prefix,omitempty"`
}

type SharedSubject struct {
	Kind    *string `json:"kind,omitempty"`
	Subject *string `json:"subject,omitempty"`
}

// RedeemResource is a oneOf: exactly one of the pointers is set, chosen by `kind`.
type RedeemResource struct {
	SharedTopic   *SharedTopic
	SharedGroup   *SharedGroup
	SharedSubject *SharedSubject
}

func (r *RedeemResource) UnmarshalJSON(b []byte) error {
	var k struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return err
	}
	switch k.Kind {
	case "Topic":
		r.SharedTopic = &SharedTopic{}
		return json.Unmarshal(b, r.SharedTopic)
	case "Group":
		r.SharedGroup = &SharedGroup{}
		return json.Unmarshal(b, r.SharedGroup)
	case "Subject":
		r.SharedSubject = &SharedSubject{}
		return json.Unmarshal(b, r.SharedSubject)
	}
	return nil // an unknown kind is kept as "none of these", not an error
}

type RedeemTokenResponse struct {
	ApiVersion           *string           `json:"api_version,omitempty"`
	Kind                 *string           `json:"kind,omitempty"`
	Id                   *string           `json:"id,omitempty"`
	Metadata             *ObjectMeta       `json:"metadata,omitempty"`
	ApiKey               *string           `json:"api_key,omitempty"`
	Secret               *string           `json:"secret,omitempty"`
	KafkaBootstrapUrl    *string           `json:"kafka_bootstrap_url,omitempty"`
	SchemaRegistryApiKey *string           `json:"schema_registry_api_key,omitempty"`
	SchemaRegistrySecret *string           `json:"schema_registry_secret,omitempty"`
	SchemaRegistryUrl    *string           `json:"schema_registry_url,omitempty"`
	Resources            *[]RedeemResource `json:"resources,omitempty"`
}

type TokenRequest struct {
	Token *string `json:"token"`
}

// ---- the operations ----

type peer struct {
	api   *APIClient
	ctx   context.Context
	token string
}

// Each operation returns how many items it got (for the checks).
func (p *peer) redeem() (int, error) {
	var r RedeemTokenResponse
	if err := p.api.call(p.ctx, http.MethodPost, "/cdx/v1/shared-tokens:redeem",
		TokenRequest{Token: &p.token}, nil, &r); err != nil {
		return 0, err
	}
	if r.ApiKey == nil || *r.ApiKey == "" || r.Resources == nil {
		return 0, errors.New("redeem: no api_key or resources")
	}
	return len(*r.Resources), nil
}

func (p *peer) inspect() (int, error) {
	var r SharedResourcesResponse
	if err := p.api.call(p.ctx, http.MethodPost, "/cdx/v1/shared-tokens:resources",
		TokenRequest{Token: &p.token}, nil, &r); err != nil {
		return 0, err
	}
	if r.ConsumerSharedResources == nil {
		return 0, errors.New("token inspect: no consumer_shared_resources")
	}
	return len(*r.ConsumerSharedResources), nil
}

func (p *peer) getShare() (int, error) {
	var s ConsumerShare
	if err := p.api.call(p.ctx, http.MethodGet, "/cdx/v1/consumer-shares/ss-00042", nil, nil, &s); err != nil {
		return 0, err
	}
	if s.Id == nil || *s.Id != "ss-00042" {
		return 0, errors.New("get consumer share: wrong id")
	}
	return 1, nil
}

// list follows metadata.next, passing its page_token, as a Go user of the SDK does.
func (p *peer) list() (int, error) {
	var all []ConsumerShare
	q := url.Values{"page_size": {"100"}}
	for pages := 0; pages <= 1000; pages++ {
		var page ConsumerShareList
		if err := p.api.call(p.ctx, http.MethodGet, "/cdx/v1/consumer-shares", nil, q, &page); err != nil {
			return 0, err
		}
		all = append(all, page.Data...)
		if page.Metadata == nil || page.Metadata.Next == nil || *page.Metadata.Next == "" {
			return len(all), nil
		}
		next, err := url.Parse(*page.Metadata.Next)
		if err != nil {
			return 0, err
		}
		q = url.Values{"page_size": {"100"}, "page_token": {next.Query().Get("page_token")}}
	}
	return 0, errors.New("list: more than 1000 pages")
}

// ---- the worker loop ----

func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func maxRSSKiB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) // kilobytes on Linux
}

func env(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fmt.Fprintf(os.Stderr, "go-peer: %s is not set\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	cfg := &Configuration{
		ServerURL:     strings.TrimRight(env("CDX_BENCH_URL"), "/"),
		UserAgent:     "cdx-bench-go-peer/1.0",
		DefaultHeader: map[string]string{},
		HTTPClient:    &http.Client{Timeout: 30 * time.Second},
	}
	p := &peer{
		api:   &APIClient{cfg: cfg},
		ctx:   context.WithValue(context.Background(), ContextBasicAuth, BasicAuth{env("CDX_BENCH_KEY"), env("CDX_BENCH_SECRET")}),
		token: env("CDX_BENCH_TOKEN"),
	}
	ops := map[string]func() (int, error){
		"redeem":             p.redeem,
		"token_inspect":      p.inspect,
		"get_consumer_share": p.getShare,
		"list":               p.list,
	}
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "quit" {
			return
		}
		op, ok := ops[fields[0]]
		n, err := 0, error(nil)
		if len(fields) == 2 {
			n, err = strconv.Atoi(fields[1])
		}
		if !ok || len(fields) != 2 || err != nil || n < 1 || n > 1000000 {
			out.Encode(map[string]string{"error": "expected `OP N`, got " + strconv.Quote(in.Text())})
			continue
		}
		ns := make([]int64, 0, n)
		items := 0
		cpu0 := cpuNanos()
		for i := 0; i < n && err == nil; i++ {
			t := time.Now()
			items, err = op()
			ns = append(ns, time.Since(t).Nanoseconds())
		}
		cpu := cpuNanos() - cpu0
		if err != nil {
			out.Encode(map[string]string{"error": fields[0] + ": " + err.Error()})
			continue
		}
		out.Encode(map[string]interface{}{
			"op": fields[0], "n": n, "ns": ns, "cpu_ns": cpu, "items": items, "maxrss_kib": maxRSSKiB(),
		})
	}
}
