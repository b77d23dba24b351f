// The bindings the workerd tests see (wrangler.toml plus the migrations the config passes in).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    FILES: R2Bucket;
    ASSETS: Fetcher;
    SEED_DEMO: string;
    PUSH_ALLOW_HTTP_ENDPOINTS: string;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
