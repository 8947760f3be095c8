import { expect, test } from "@playwright/test";
import { adminApi, flowWithQueue, killAll, ok, submit, TestWorker } from "./api";
import { checkScreen, storageFor } from "./helpers";

// Alerts on queue age and stuck runs (docs/operations.md, "Alerts"): in an org of its own whose
// admin sets thresholds of 10 s on its settings page, one execution runs and the next waits behind the busy worker; past 10 s
// both alert, on the org's overview and Workers tab (with links to the execution) and, counted,
// on the platform overview.

test.describe("alerts", () => {
  test.use({ storageState: storageFor("platform-admin") });

  test("a waiting queue and a long run alert on the org's pages and the platform overview", async ({ page, playwright }) => {
    test.slow(); // 10 s must pass before anything alerts
    const api = await adminApi(playwright);
    const tag = Math.random().toString(36).slice(2, 8);
    const org = await ok<{ id: string }>(api.post("/api/orgs", { data: { name: `Alerting ${tag}` } }), 201);
    let ids: string[] = [];
    let worker: TestWorker | undefined;
    try {
      // The org's own thresholds, set on its settings page (the minimum: 10 s).
      await page.goto(`/orgs/${org.id}/settings`);
      const limits = page.getByTestId("org-limits");
      await expect(limits.getByTestId("org-alert-thresholds")).toHaveText("Queue age 10 min (the platform's); stuck run 1 h (the platform's)");
      for (const label of ["Queue age alert after", "Stuck run alert after"]) {
        await limits.getByLabel(label, { exact: true }).fill("10");
        await limits.getByLabel(`Unit of ${label.toLowerCase()}`).selectOption("s");
      }
      await limits.getByRole("button", { name: "Save limits" }).click();
      await expect(limits.getByRole("status")).toHaveText("Limits saved.");
      await expect(limits.getByTestId("org-alert-thresholds")).toHaveText("Queue age 10 s; stuck run 10 s");

      const s = await flowWithQueue(api, org.id, { limit: null });
      ids = await submit(api, s, 2);
      const [running, waiting] = ids;
      worker = await TestWorker.start(playwright, s.queue, 1);
      expect(await worker.claim(1)).toEqual([running]);
      worker.keepAlive();
      await expect.poll(async () => (await ok<{ counts: unknown }>(api.get(`/api/orgs/${org.id}/alerts`))).counts, { timeout: 30_000 }).toEqual({ queue_age: 1, stuck_run: 1 });

      await page.goto(`/orgs/${org.id}`);
      const banner = page.getByTestId("org-alerts");
      await expect(banner.getByRole("heading")).toHaveText("2 alerts firing: 1 queue age, 1 stuck run");
      const queueAlert = banner.getByTestId(/^alert-queue_age:/);
      await expect(queueAlert).toContainText(`Queue "${s.queue}": its oldest startable execution of flow "${s.flowName}" has waited`);
      await expect(queueAlert).toContainText("(alert after 10 s)");
      await expect(banner.getByTestId(`alert-stuck_run:${running}`)).toContainText(`on worker "worker-${s.queue}"`);
      await checkScreen(page, "org-alerts");

      await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Workers" }).click();
      await expect(page.getByTestId("org-alerts").getByTestId(/^alert-queue_age:/)).toBeVisible();
      await page.getByTestId("org-alerts").getByTestId(/^alert-queue_age:/).getByRole("link", { name: /^Oldest execution/ }).click();
      await expect(page).toHaveURL(new RegExp(`/orgs/${org.id}/executions/${waiting}$`));

      await page.goto("/orgs");
      await expect(page.getByTestId(`platform-alerts-org-${org.id}`)).toHaveText(`Alerting ${tag}: 1 queue age, 1 stuck run`);
      await page.getByTestId("platform-alerts").getByText(/most overdue/).click();
      await expect(page.getByTestId("platform-alerts").getByTestId(`alert-stuck_run:${running}`)).toContainText(`Alerting ${tag}:`);
      await checkScreen(page, "platform-alerts");
    } finally {
      await worker?.stop();
      await killAll(api, ids).catch(() => undefined);
      await api.delete(`/api/orgs/${org.id}`);
      await api.dispose();
    }
  });
});
