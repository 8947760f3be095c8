import { expect, test } from "@playwright/test";
import { adminApi, flowWithQueue, killAll, ok, ORG, orgIdByName } from "./api";
import { storageFor } from "./helpers";

// Live data that holds under load (docs/architecture.md, "Live data"): with every API read
// taking a second and several changes a second, a change never aborts a fetch still under way
// (it refetches once that one ends), and the screen converges on what the server says.

test.describe("live data under load", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("a slow API (1 s per read) and several changes a second: no fetch is cut short, and the flow tab converges", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const orgId = await orgIdByName(playwright, ORG);
    const s = await flowWithQueue(api, orgId, { limit: 2 });
    const ids: string[] = [];
    try {
      await page.goto(`/orgs/${orgId}/flows/${s.flowId}`);
      await expect(page.getByTestId("queued-count")).toHaveText("0", { timeout: 60_000 });

      // From now on every read of the API takes a second (the event stream excepted).
      const aborted: string[] = [];
      page.on("requestfailed", (r) => r.url().includes("/api/") && !r.url().includes("/api/events") && aborted.push(`${r.url()} ${r.failure()?.errorText}`));
      await page.route("**/api/**", async (route) => {
        const request = route.request();
        if (request.method() === "GET" && !request.url().includes("/api/events")) await new Promise((resolve) => setTimeout(resolve, 1_000));
        await route.continue().catch(() => undefined);
      });

      // How often the flow tab's main read is sent: once per change would be a restart each time.
      let reads = 0;
      page.on("request", (r) => r.url().includes(`/api/flows/${s.flowId}/concurrency`) && reads++);

      // 24 submissions at about 4 a second (6 s): each commit is a change event for this org.
      // The screen must move meanwhile, not only once the changes stop: a fetch restarted by
      // every change would never finish while they come faster than it answers.
      const seen = new Set<string>();
      for (let i = 0; i < 24; i++) {
        const started = Date.now();
        ids.push((await ok<{ id: string }>(api.post("/api/executions", { data: { orgId, projectId: s.projectId, flowId: s.flowId, queue: s.queue } }), 201)).id);
        seen.add((await page.getByTestId("queued-count").textContent()) ?? "");
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 250 - (Date.now() - started))));
      }
      expect([...seen].some((v) => Number(v) > 0 && Number(v) < 24), `values shown while changes came: ${[...seen].join(", ")}`).toBe(true);
      await expect(page.getByTestId("queued-count")).toHaveText("24", { timeout: 20_000 });
      await expect(page.getByTestId("flow-backlog-text")).toHaveText("24 waiting, no backlog cap");
      expect(aborted).toEqual([]);
      // About one read per second of latency, plus the one after the last change (and the 5 s refresh).
      expect(reads).toBeLessThanOrEqual(14);
      await page.unroute("**/api/**");
    } finally {
      await killAll(api, ids).catch(() => undefined);
      await api.dispose();
    }
  });
});
