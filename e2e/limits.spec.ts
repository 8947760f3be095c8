import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { adminApi, flowWithQueue, killAll, ok, ORG, orgIdByName, TestWorker, type Setup } from "./api";
import { checkScreen, storageFor } from "./helpers";

// Limits and admission v2 on the dashboard (docs/limits.md): key rules and their keys view on
// a flow's page (own limits of keys, search, sort), a flow's rate limit with its window and
// the countdown to the next start, backlog caps with their fill level, the org's limits on its
// settings page, and scheduled executions with their start time. Each test makes its own
// project, queue and flow (e2e/api.ts) and puts back what it changed of the org.

const short = (id: string) => id.slice(0, 8);
// Several first visits per test on a dev server that compiles each route on demand.
test.describe.configure({ timeout: 180_000 });

let orgId: string;
test.beforeAll(async ({ playwright }) => {
  orgId = await orgIdByName(playwright, ORG);
});

async function openFlow(page: Page, flowId: string) {
  await page.goto(`/orgs/${orgId}/flows/${flowId}`, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Admission" })).toBeVisible({ timeout: 60_000 });
}

/** Submits `n` executions of the flow with `payload.customerId = key` (and any other fields); their ids. */
async function submitKeyed(api: APIRequestContext, s: Setup, key: string | null, n: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const payload = { sleepMs: 60_000, ...(key === null ? {} : { customerId: key }) };
    ids.push((await ok<{ id: string }>(api.post("/api/executions", { data: { orgId: s.orgId, projectId: s.projectId, flowId: s.flowId, queue: s.queue, payload, ...extra } }), 201)).id);
  }
  return ids;
}

test.describe("org admin", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("creates a key rule on a flow, gives a key its own limit, and reads, sorts and searches its keys", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    // Room for every key's work: a fresh project runs at most the platform default of 5 at once.
    await ok(api.patch(`/api/orgs/${orgId}/projects/${s.projectId}`, { data: { maxConcurrentJobs: 20 } }));
    await openFlow(page, s.flowId);
    const panel = page.getByRole("region", { name: "Key rules", exact: true });
    await expect(panel.getByTestId("no-key-rules")).toBeVisible();

    // A rule: at most 2 running per customer. A pointer that is not one is caught before sending.
    await panel.getByText("New key rule").click();
    const name = `per-customer-${s.queue}`; // rule names are unique in an org
    await panel.getByLabel("Rule name").fill(name);
    await panel.getByLabel("Key from").selectOption("payload");
    await panel.getByLabel("Payload pointer").fill("customerId");
    await panel.getByLabel("Running per key").fill("2");
    await panel.getByRole("button", { name: "Create rule" }).click();
    await expect(panel.getByText("Enter a JSON pointer such as /customerId.")).toBeVisible();
    await expect(panel.getByLabel("Payload pointer")).toHaveAttribute("aria-invalid", "true");
    await panel.getByLabel("Payload pointer").fill("/customerId");
    await panel.getByRole("button", { name: "Create rule" }).click();
    await expect(panel.getByRole("status").filter({ hasText: `Rule ${name} created.` })).toBeVisible({ timeout: 60_000 });
    const rule = page.getByTestId(`key-rule-${name}`);
    await expect(rule.getByTestId("rule-summary")).toContainText("Key: payload /customerId · 2 running per key");
    await expect(rule.getByTestId("keys-showing")).toHaveText("No key has work running, queued or scheduled.");

    // A key's own limit before it has any work: zulu runs one at a time.
    await rule.getByText("Own limits of keys (0)").click();
    await rule.getByRole("textbox", { name: "Key", exact: true }).fill("zulu");
    await rule.getByRole("textbox", { name: "Own limit", exact: true }).fill("1");
    await rule.getByRole("button", { name: "Set own limit", exact: true }).click();
    await expect(rule.getByTestId("override-zulu")).toHaveText(/zulu: 1/);
    await expect(rule.getByText("Own limits of keys (1)")).toBeVisible();

    const ids = [...(await submitKeyed(api, s, "acme", 2)), ...(await submitKeyed(api, s, "zulu", 4)), ...(await submitKeyed(api, s, "mike", 1))];
    const worker = await TestWorker.start(playwright, s.queue);
    expect(await worker.claim(10)).toHaveLength(4);
    worker.keepAlive();

    const row = (key: string) => rule.getByTestId(`key-row-${key}`);
    const keys = () => rule.getByTestId("key").allTextContents();
    await expect(rule.getByTestId("keys-showing")).toHaveText("Showing 3 of 3 keys");
    for (const [key, running, queued, limit] of [["acme", "2", "0", "2"], ["zulu", "1", "3", "1 (own limit)"], ["mike", "1", "0", "2"]] as const) {
      await expect(row(key).getByTestId("running")).toContainText(running);
      await expect(row(key).getByTestId("queued")).toHaveText(queued);
      await expect(row(key).getByTestId("limit")).toHaveText(limit);
    }
    await expect(row("acme").getByTestId("running")).toHaveText("2(full)");

    // Sorted on the server: the busiest first, the longest queue first, or by key.
    const header = (name: string) => rule.getByRole("columnheader", { name });
    await expect(header("Running")).toHaveAttribute("aria-sort", "descending");
    await expect.poll(keys).toEqual(["acme", "zulu", "mike"]);
    await header("Queued").getByRole("button").click();
    await expect(header("Queued")).toHaveAttribute("aria-sort", "descending");
    await expect.poll(keys).toEqual(["zulu", "acme", "mike"]);
    await header("Key").getByRole("button").click();
    await expect(header("Key")).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(keys).toEqual(["acme", "mike", "zulu"]);

    // Searched on the server as the typing pauses.
    await rule.getByLabel("Search keys").fill("ZU");
    await expect.poll(keys).toEqual(["zulu"]);
    await expect(rule.getByTestId("keys-showing")).toHaveText("Showing 1 of 1 key matching “ZU”");
    await rule.getByLabel("Search keys").fill("nobody");
    await expect(rule.getByTestId("keys-showing")).toHaveText("No key matching “nobody”.");
    await rule.getByLabel("Search keys").fill("");
    await expect.poll(keys).toEqual(["acme", "mike", "zulu"]);

    // From its row: zulu's own limit raised to 3; the worker's next claim starts two more of it.
    await row("zulu").getByRole("button", { name: "Change own limit of key zulu" }).click();
    const dialog = page.getByRole("dialog", { name: "Own limit of key zulu" });
    await expect(dialog.getByLabel("Own limit")).toHaveValue("1");
    await dialog.getByLabel("Own limit").fill("0");
    await dialog.getByRole("button", { name: "Set limit" }).click();
    await expect(dialog.getByText("Enter a whole number of 1 or more.")).toBeVisible();
    await dialog.getByLabel("Own limit").fill("3");
    await dialog.getByRole("button", { name: "Set limit" }).click();
    await expect(dialog).toBeHidden();
    await expect(row("zulu").getByTestId("limit")).toHaveText("3 (own limit)");
    expect(await worker.claim(10)).toHaveLength(2);
    await expect(row("zulu").getByTestId("running")).toHaveText("3(full)");
    await expect(row("zulu").getByTestId("queued")).toHaveText("1");
    await checkScreen(page, "flow-key-rules");

    // Taken back: the rule's 2 applies to zulu again.
    await row("zulu").getByRole("button", { name: "Remove own limit of key zulu" }).click();
    await page.getByRole("dialog", { name: "Remove the own limit of key zulu?" }).getByRole("button", { name: "Remove own limit" }).click();
    await expect(row("zulu").getByTestId("limit")).toHaveText("2");
    await expect(rule.getByText("Own limits of keys (0)")).toBeVisible();

    await worker.stop();
    await killAll(api, ids);
    await api.dispose();
  });

  test("sets a flow's rate limit and backlog cap: the window counts down to the next start, the backlog fills", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    await openFlow(page, s.flowId);
    await expect(page.getByTestId("flow-rate")).toHaveText("No rate limit");
    await expect(page.getByTestId("flow-backlog-text")).toHaveText("0 waiting, no backlog cap");

    const rate = page.getByRole("group", { name: "Rate limit", exact: true });
    await rate.getByLabel("Starts").fill("2");
    await rate.getByLabel("Window", { exact: true }).fill("1");
    await rate.getByLabel("Unit of the window").selectOption("min");
    await page.getByLabel("Backlog cap").fill("0");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Enter a whole number of 1 or more, or leave it empty.")).toBeVisible();
    await expect(page.getByLabel("Backlog cap")).toHaveAttribute("aria-invalid", "true");
    // A window the server refuses (longer than a week): its reason is shown next to the field.
    await rate.getByLabel("Window", { exact: true }).fill("8");
    await rate.getByLabel("Unit of the window").selectOption("d");
    await page.getByLabel("Backlog cap").fill("3");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText("rateLimit.periodMs", { timeout: 60_000 });
    await expect(rate.getByText("must be at most a week (604800000 ms)")).toBeVisible();
    await expect(page.getByTestId("flow-rate")).toHaveText("No rate limit");

    await rate.getByLabel("Starts").fill("2");
    await rate.getByLabel("Window", { exact: true }).fill("1");
    await rate.getByLabel("Unit of the window").selectOption("min");
    await page.getByLabel("Backlog cap").fill("3");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByTestId("flow-rate")).toContainText("2 starts per 1 min");
    await expect(page.getByTestId("flow-rate-window")).toHaveText("0 of 2 starts in the last 1 min");
    const backlog = page.getByRole("meter", { name: "Flow backlog of its cap" });
    await expect(backlog).toHaveAttribute("aria-valuemax", "3");
    await expect(backlog).toHaveAttribute("aria-valuenow", "0");

    // Three wait: the backlog is full and a fourth is refused.
    const ids = await submitKeyed(api, s, null, 3);
    await expect(backlog).toHaveAttribute("aria-valuenow", "3");
    await expect(page.getByTestId("flow-backlog-text")).toHaveText("3 of 3 waiting");
    const refused = await api.post("/api/executions", { data: { orgId, projectId: s.projectId, flowId: s.flowId, queue: s.queue, payload: {} } });
    expect(refused.status()).toBe(429);

    // The worker may start two a minute: the window is used up, and says when the next may start.
    const worker = await TestWorker.start(playwright, s.queue);
    expect(await worker.claim(5)).toHaveLength(2);
    worker.keepAlive();
    await expect(page.getByTestId("flow-rate-window")).toHaveText("2 of 2 starts in the last 1 min");
    const next = page.getByTestId("flow-rate-next");
    await expect(next).toHaveText(/^Used up: next start in (\d+s|1m 00s)$/);
    const before = await next.textContent();
    await expect.poll(() => next.textContent(), { timeout: 5_000 }).not.toBe(before);
    await expect(backlog).toHaveAttribute("aria-valuenow", "1");
    await checkScreen(page, "flow-admission");

    // The one left says why it waits, with the same countdown.
    const states = await Promise.all(ids.map(async (id) => [id, (await ok<{ state: string }>(api.get(`/api/executions/${id}`))).state] as const));
    const queued = states.find(([, state]) => state === "QUEUED")![0];
    await page.goto(`/orgs/${orgId}/executions/${queued}`, { timeout: 60_000 });
    await expect(page.getByTestId("why-it-waits")).toContainText(`the rate limit of flow '${s.flowName}' is used up (2 of 2 starts per 1 min); next start in`, { timeout: 60_000 });

    await worker.stop();
    await killAll(api, ids);
    await api.dispose();
  });

  test("sets a flow's retry policy; a failed execution of the flow then waits for its backoff and says which retry it is", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    await openFlow(page, s.flowId);
    await expect(page.getByTestId("flow-retry")).toHaveText("No retries: a failure is final");
    await page.getByLabel("Retry: attempts").fill("3");
    await page.getByLabel("First retry delay", { exact: true }).fill("10");
    await page.getByLabel("Unit of first retry delay").selectOption("min");
    await page.getByLabel("Longest retry delay", { exact: true }).fill("1");
    await page.getByLabel("Unit of longest retry delay").selectOption("min");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Must be at least the first delay.")).toBeVisible();
    await page.getByLabel("Longest retry delay", { exact: true }).fill("1");
    await page.getByLabel("Unit of longest retry delay").selectOption("h");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByTestId("flow-retry")).toHaveText("3 attempts in all; waits 10 min before the second, then ×2 each time, at most 1 h");
    const flow = await ok<{ retry: unknown }>(api.get(`/api/orgs/${orgId}/flows/${s.flowId}`));
    expect(flow.retry).toEqual({ maxAttempts: 3, backoff: { initialMs: 600_000, factor: 2, maxMs: 3_600_000 }, jitter: 0 });

    const [id] = await submitKeyed(api, s, null, 1);
    const worker = await TestWorker.start(playwright, s.queue);
    expect(await worker.claim(1)).toEqual([id]);
    await worker.complete(id!, "FAILED", "upstream said 503");
    await page.goto(`/orgs/${orgId}/executions/${id}`, { timeout: 60_000 });
    await expect(page.getByTestId("why-it-waits")).toContainText("Retry 2 of 3", { timeout: 60_000 });
    expect(await ok<{ state: string; attempts: number }>(api.get(`/api/executions/${id}`))).toMatchObject({ state: "QUEUED", attempts: 1 });
    await worker.stop();
    await killAll(api, [id!]);
    await api.dispose();
  });

  test("a scheduled execution shows its start time in the list and on its page, with its keys and idempotency key", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    await ok(api.post(`/api/orgs/${orgId}/key-rules`, { data: { name: `by-tenant-${s.queue}`, flowId: s.flowId, key: { source: "submission" }, limit: 5 } }), 201);
    const [id] = await submitKeyed(api, s, null, 1, { delayMs: 120_000, concurrencyKey: "tenant-7", idempotencyKey: "order-42" });

    await page.goto(`/orgs/${orgId}/executions?flowId=${s.flowId}`, { timeout: 60_000 });
    const row = page.getByTestId("execution-row").first();
    await expect(row.getByRole("link")).toHaveText(short(id!), { timeout: 60_000 });
    await expect(row.getByTestId("scheduled")).toContainText("scheduled · starts in 2 min");
    await expect(row.getByTestId("keys")).toHaveText(`by-tenant-${s.queue}: tenant-7`);
    await checkScreen(page, "executions-scheduled");

    await row.getByRole("link").click();
    const heading = page.getByRole("heading", { name: `Execution ${short(id!)}` });
    await expect(heading).toContainText("QUEUED", { timeout: 60_000 });
    await expect(heading).toContainText("scheduled · starts in 2 min");
    await expect(page.getByTestId("starts-at")).toContainText("starts in 2 min");
    const keys = page.getByTestId("execution-keys");
    await expect(keys).toContainText("Concurrency key");
    await expect(keys).toContainText("tenant-7");
    await expect(keys).toContainText(`Key of rule by-tenant-${s.queue}`);
    await expect(keys).toContainText("Idempotency key");
    await expect(keys).toContainText("order-42");
    await expect(page.getByTestId("why-it-waits")).toContainText("Scheduled: it starts in");
    await checkScreen(page, "execution-scheduled");

    await killAll(api, [id!]);
    await api.dispose();
  });

  test("at phone width the flow's admission and keys view fit the screen; the keys table scrolls in its own box", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    await ok(api.patch(`/api/orgs/${orgId}/flows/${s.flowId}`, { data: { rateLimit: { limit: 10, periodMs: 60_000 }, maxQueued: 20 } }));
    await ok(api.post(`/api/orgs/${orgId}/key-rules`, { data: { name: `per-customer-${s.queue}`, flowId: s.flowId, key: { source: "payload", path: "/customerId" }, limit: 1, rateLimit: { limit: 5, periodMs: 60_000 } } }), 201);
    const ids = [...(await submitKeyed(api, s, "customer-with-a-rather-long-name-0001", 3)), ...(await submitKeyed(api, s, "b", 2))];

    await page.setViewportSize({ width: 390, height: 844 });
    await openFlow(page, s.flowId);
    await expect(page.getByTestId("flow-backlog-text")).toHaveText("5 of 20 waiting");
    const rule = page.getByTestId(`key-rule-per-customer-${s.queue}`);
    await expect(rule.getByTestId("keys-showing")).toHaveText("Showing 2 of 2 keys");
    await expect(rule.getByTestId("key-row-b").getByTestId("rate")).toHaveText("0 of 5 / 1 min");
    // The page's content fits the width (the console's header is not part of this page); the keys table scrolls in its own box.
    const fit = await rule.getByTestId("keys-view").locator(".overflow-x-auto").evaluate((box) => ({
      main: document.querySelector("main")!.scrollWidth,
      viewport: window.innerWidth,
      boxRight: box.getBoundingClientRect().right,
      scrolls: box.scrollWidth > box.clientWidth,
    }));
    expect(fit.main).toBeLessThanOrEqual(fit.viewport);
    expect(fit.boxRight).toBeLessThanOrEqual(fit.viewport);
    expect(fit.scrolls).toBe(true);
    await checkScreen(page, "flow-limits-phone");

    await killAll(api, ids);
    await api.dispose();
  });

  test("sets the org's rate limit and backlog cap and a queue's rate limit on the settings page; org-wide key rules live there too", async ({ page, playwright, browser }) => {
    const api = await adminApi(playwright, "beta-admin");
    const platform = await adminApi(playwright);
    const s = await flowWithQueue(api, orgId, { limit: null });
    try {
      // A platform admin sets the default backlog cap on the overview.
      const adminContext = await browser.newContext({ storageState: storageFor("platform-admin") });
      const overview = await adminContext.newPage();
      await overview.goto("/orgs", { timeout: 60_000 });
      await overview.getByText("Platform settings", { exact: true }).click({ timeout: 60_000 });
      await overview.getByLabel("Default backlog cap").fill("500");
      await overview.getByRole("button", { name: "Save platform settings" }).click();
      await expect(overview.getByRole("status").filter({ hasText: "Platform settings saved." })).toBeVisible();
      await expect(overview.getByTestId("default-max-queued")).toHaveText("500");
      await adminContext.close();

      await page.goto(`/orgs/${orgId}/settings`, { timeout: 60_000 });
      const limits = page.getByTestId("org-limits");
      await expect(limits.getByTestId("org-backlog-cap")).toHaveText("Platform default (500)", { timeout: 60_000 });
      await expect(limits.getByRole("meter", { name: "Organization backlog of its cap" })).toHaveAttribute("aria-valuemax", "500");

      const rate = limits.getByRole("group", { name: "Rate limit" });
      await rate.getByLabel("Starts").fill("1000");
      await rate.getByLabel("Window", { exact: true }).fill("1");
      await rate.getByLabel("Unit of the window").selectOption("h");
      await limits.getByLabel("Backlog cap").fill("2000");
      await limits.getByRole("button", { name: "Save limits" }).click();
      await expect(limits.getByRole("status")).toHaveText("Limits saved.");
      await expect(limits.getByTestId("org-rate")).toContainText("1000 starts per 1 h");
      await expect(limits.getByTestId("org-rate-window")).toContainText("of 1000 starts in the last 1 h");
      await expect(limits.getByTestId("org-backlog-cap")).toHaveText("2000");
      await expect(limits.getByRole("meter", { name: "Organization backlog of its cap" })).toHaveAttribute("aria-valuemax", "2000");

      // A queue's rate limit.
      const queue = page.getByTestId(`queue-${s.queue}`);
      await expect(queue.getByTestId("queue-rate")).toHaveText("No rate limit");
      await queue.getByText("Rate limit and key rules").click();
      const queueRate = queue.getByRole("group", { name: `Rate limit of queue ${s.queue}` });
      await queueRate.getByLabel("Starts").fill("5");
      await queueRate.getByLabel("Window", { exact: true }).fill("10");
      await queueRate.getByLabel("Unit of the window").selectOption("s");
      await queue.getByRole("button", { name: "Set rate limit" }).click();
      await expect(queue.getByTestId("queue-rate")).toContainText("5 starts per 10 s");
      await expect(queue.getByRole("region", { name: `Key rules of queue ${s.queue}` }).getByTestId("no-key-rules")).toBeVisible();

      // An org-wide key rule, made through the API, shows with its keys view; the admin deletes it here.
      await ok(platform.post(`/api/orgs/${orgId}/key-rules`, { data: { name: "org-wide-e2e", key: { source: "payload", path: "/tenant" }, rateLimit: { limit: 100, periodMs: 1_000 } } }), 201);
      const orgRules = page.getByRole("region", { name: "Organization-wide key rules" });
      const orgRule = orgRules.getByTestId("key-rule-org-wide-e2e");
      await expect(orgRule.getByTestId("rule-summary")).toContainText("Key: payload /tenant · 100 starts per 1 s per key");
      await checkScreen(page, "settings-limits");
      await orgRule.getByRole("button", { name: "Delete rule org-wide-e2e" }).click();
      await page.getByRole("dialog", { name: "Delete rule org-wide-e2e?" }).getByRole("button", { name: "Delete rule" }).click();
      await expect(orgRule).toHaveCount(0);
    } finally {
      // Put the org and the platform back as the other tests expect them.
      await ok(api.patch(`/api/orgs/${orgId}/limits`, { data: { rateLimit: null, maxQueued: null } }));
      await ok(platform.put("/api/platform/settings", { data: { defaultMaxQueued: 0 } }));
      const rules = await ok<{ id: string; name: string }[]>(api.get(`/api/orgs/${orgId}/key-rules`));
      for (const r of rules.filter((r) => r.name === "org-wide-e2e")) await api.delete(`/api/orgs/${orgId}/key-rules/${r.id}`);
      await api.dispose();
      await platform.dispose();
    }
  });
});

test.describe("org member", () => {
  test.use({ storageState: storageFor("beta-member") });

  test("reads a flow's limits and keys but has nothing to edit", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const s = await flowWithQueue(api, orgId, { limit: null });
    await ok(api.post(`/api/orgs/${orgId}/key-rules`, { data: { name: `per-customer-${s.queue}`, flowId: s.flowId, key: { source: "payload", path: "/customerId" }, limit: 1 } }), 201);
    const ids = await submitKeyed(api, s, "acme", 2);
    await openFlow(page, s.flowId);
    const rule = page.getByTestId(`key-rule-per-customer-${s.queue}`);
    await expect(rule.getByTestId("key-row-acme").getByTestId("queued")).toHaveText("2");
    await expect(page.getByRole("textbox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /own limit|delete|edit limits|create rule/i })).toHaveCount(0);
    expect((await page.request.post(`/api/orgs/${orgId}/key-rules`, { data: { name: "nope", flowId: s.flowId, key: { source: "submission" }, limit: 1 } })).status()).toBe(403);
    await checkScreen(page, "flow-limits-member");
    await killAll(api, ids);
    await api.dispose();
  });
});
