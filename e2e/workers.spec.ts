import { expect, test } from "@playwright/test";
import { adminApi, flowWithQueue, killAll, ORG, orgIdByName, submit, TestWorker } from "./api";
import { checkScreen, storageFor } from "./helpers";

// The Workers tab and explain naming busy workers (docs/operations.md, "Workers and queues"):
// with every cap room to spare, the execution waits because the one worker serving its queue
// holds all it declared; the page says so, and the Workers tab shows that worker busy.

test.describe("workers and queues", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("a queued execution says its queue's only worker is busy; the Workers tab shows it busy and the queue's backlog", async ({ page, playwright }) => {
    const api = await adminApi(playwright, "beta-admin");
    const orgId = await orgIdByName(playwright, ORG);
    const s = await flowWithQueue(api, orgId, { limit: null });
    const [running, waiting] = await submit(api, s, 2);
    const worker = await TestWorker.start(playwright, s.queue, 1);
    try {
      expect(await worker.claim(1)).toEqual([running]);
      await page.goto(`/orgs/${orgId}/executions/${waiting}`);
      await expect(page.getByTestId("why-it-waits")).toContainText(`Waiting for a worker: the 1 worker serving queue '${s.queue}' is busy (1 of 1 slots claimed); every cap has room.`, { timeout: 30_000 });

      // The flow's tab says it too, on the queued row.
      await page.goto(`/orgs/${orgId}/flows/${s.flowId}`);
      await expect(page.getByTestId(`execution-row-${waiting}`).getByTestId("waiting-for")).toContainText("Waiting for a worker", { timeout: 30_000 });

      await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Workers" }).click();
      const row = page.getByTestId(`worker-worker-${s.queue}`).first();
      await expect(row).toContainText("Busy");
      await expect(row).toContainText("1 of 1");
      const queueRow = page.getByRole("table", { name: "Queues" }).getByRole("row").filter({ hasText: s.queue });
      await expect(queueRow).toContainText(`worker-${s.queue}`);
      await expect(queueRow.getByRole("cell").nth(2)).toHaveText("1"); // queued
      await checkScreen(page, "org-workers");
    } finally {
      await worker.stop();
      await killAll(api, [running!, waiting!]).catch(() => undefined);
      await api.dispose();
    }
  });
});
