import { expect, test, type Page } from "@playwright/test";
import { flowScenario, ok, ORG, orgIdByName } from "./api";
import { checkScreen, storageFor } from "./helpers";

const short = (id: string) => id.slice(0, 8);
const row = (page: Page, id: string) => page.getByTestId(`execution-row-${id}`);
const slots = (page: Page) => page.getByRole("progressbar");

// Each test sets up its own flow through the API and the dev server compiles pages on first use.
test.describe.configure({ timeout: 120_000 });

/** Opens a flow's tab; the first visit may wait for the dev server to compile the page and its API. */
async function openFlow(page: Page, flowId: string) {
  await page.goto(`/orgs/${orgId}/flows/${flowId}`, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 2 }).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("status", { name: "Loading flow" })).toHaveCount(0, { timeout: 60_000 });
}

let orgId: string;
test.beforeAll(async ({ playwright }) => {
  orgId = await orgIdByName(playwright, ORG);
});

test.describe("org admin", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("the flows list shows each flow's limit, behavior and live counts, and opens its tab", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 3, claimed: 2 });
    await page.goto(`/orgs/${orgId}/flows`, { timeout: 60_000 });
    await expect(page.getByRole("table")).toBeVisible({ timeout: 60_000 });
    for (const [name, limit, behavior] of [["etl", "2", "QUEUE"], ["reports", "2", "CANCEL"], ["sync", "2", "FAIL"], ["adhoc", "No limit", "QUEUE"]]) {
      const r = page.getByTestId(`flow-row-${name}`);
      await expect(r.getByTestId("limit")).toHaveText(limit!);
      await expect(r.getByTestId("behavior")).toHaveText(behavior!);
    }
    const mine = page.getByTestId(`flow-row-${s.setup.flowName}`);
    await expect(mine.getByTestId("running")).toHaveText("2 / 2");
    await expect(mine.getByTestId("queued")).toHaveText("1");
    await checkScreen(page, "flows-list");

    await mine.getByRole("link", { name: s.setup.flowName }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/flows/${s.setup.flowId}$`));
    await expect(page.getByRole("heading", { name: s.setup.flowName })).toBeVisible();
    await expect(page.getByRole("link", { name: "Flows", exact: true }).first()).toHaveAttribute("aria-current", "page");
    await s.done();
  });

  test("an admin kills a running execution; its slot frees and the next queued one starts without a reload", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 4, claimed: 2 });
    s.worker.keepAlive();
    await openFlow(page, s.setup.flowId);
    await expect(slots(page)).toHaveAttribute("aria-valuemax", "2");
    await expect(slots(page)).toHaveAttribute("aria-valuenow", "2");
    await expect(page.getByTestId("slots-text")).toHaveText("2 / 2");
    for (const id of s.running) {
      await expect(row(page, id)).toContainText("RUNNING");
      await expect(row(page, id)).toContainText(`worker-${s.setup.queue}`);
    }
    for (const id of s.queued) await expect(row(page, id)).toContainText("QUEUED");
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    const [victim, survivor] = s.running as [string, string];
    await row(page, victim).getByRole("button", { name: `Kill execution ${short(victim)}` }).click();
    const dialog = page.getByRole("dialog", { name: `Kill execution ${short(victim)}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await dialog.getByRole("button", { name: "Kill execution" }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, victim)).toHaveCount(0);
    await expect(slots(page)).toHaveAttribute("aria-valuenow", "1");
    expect((await ok<{ state: string }>(s.api.get(`/api/executions/${victim}`))).state).toBe("KILLED");

    // The worker's next claim takes the freed slot: the oldest queued execution starts, on screen as it happens.
    expect(await s.worker.claim(2)).toEqual([s.queued[0]]);
    await expect(row(page, s.queued[0]!)).toContainText("RUNNING");
    await expect(slots(page)).toHaveAttribute("aria-valuenow", "2");
    await expect(page.getByTestId("queued-count")).toHaveText("1");
    await expect(row(page, survivor)).toContainText("RUNNING");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // The chart of the flow's samples (taken every few seconds) shows up by itself too.
    await expect(page.getByTestId("flow-chart")).toBeVisible({ timeout: 30_000 });
    await checkScreen(page, "flow-concurrency");
    await s.done();
  });

  test("an admin kills a selection after confirming; Escape cancels and returns focus", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 3, claimed: 2 });
    s.worker.keepAlive();
    await openFlow(page, s.setup.flowId);
    const [keep, running] = s.running as [string, string];
    const queued = s.queued[0]!;
    await page.getByRole("checkbox", { name: `Select execution ${short(running)}` }).check();
    await page.getByRole("checkbox", { name: `Select execution ${short(queued)}` }).check();
    const killSelected = page.getByRole("button", { name: "Kill selected (2)" });
    await killSelected.click();
    const dialog = page.getByRole("dialog", { name: "Kill 2 executions?" });
    await expect(dialog).toBeVisible();
    await checkScreen(page, "flow-kill-dialog");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(killSelected).toBeFocused();
    await expect(row(page, running)).toBeVisible();

    await killSelected.click();
    await dialog.getByRole("button", { name: "Kill executions" }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, running)).toHaveCount(0);
    await expect(row(page, queued)).toHaveCount(0);
    await expect(row(page, keep)).toContainText("RUNNING");
    await expect(slots(page)).toHaveAttribute("aria-valuenow", "1");
    await expect(page.getByTestId("queued-count")).toHaveText("0");
    await expect(page.getByRole("button", { name: "Kill selected (0)" })).toBeDisabled();
    await s.done();
  });

  test("a running execution whose worker stopped heartbeating is marked stuck", async ({ page, playwright }) => {
    // Stuck means no heartbeat for more than half the lease (15 s of the default 30 s), so this test waits that long.
    test.setTimeout(150_000);
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 2, claimed: 2 });
    const [stalled, healthy] = s.running as [string, string];
    s.worker.keepAlive([healthy]);
    await openFlow(page, s.setup.flowId);
    await expect(page.getByText("Marked stuck when a running execution's last heartbeat is more than 15s old.")).toBeVisible();
    await expect(row(page, stalled).getByText("stuck", { exact: true })).toBeVisible({ timeout: 45_000 });
    await expect(row(page, healthy).getByText("stuck", { exact: true })).toHaveCount(0);
    await expect(row(page, healthy)).toContainText("RUNNING");
    await checkScreen(page, "flow-concurrency-stuck");
    await s.done();
  });

  test("an admin edits the limit and behavior; a refused edit rolls back and shows the server's reason", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 3, claimed: 2 });
    s.worker.keepAlive();
    await openFlow(page, s.setup.flowId);
    const limit = page.getByLabel("Limit", { exact: true });
    await expect(limit).toHaveValue("2");

    await limit.fill("0");
    await page.getByRole("button", { name: "Save" }).click();
    // The first edit may wait for the dev server to compile the endpoint.
    await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText("concurrency.limit", { timeout: 60_000 });
    await expect(limit).toHaveValue("2");
    await expect(page.getByTestId("flow-limit")).toHaveText("2");
    await expect(slots(page)).toHaveAttribute("aria-valuemax", "2");

    await limit.fill("3");
    await page.getByLabel("At the limit, a new run").selectOption("CANCEL");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByTestId("flow-limit")).toHaveText("3");
    await expect(page.getByTestId("flow-behavior")).toHaveText("is cancelled at once");
    await expect(slots(page)).toHaveAttribute("aria-valuemax", "3");
    const flow = await ok<{ concurrency: { limit: number; behavior: string } }>(s.api.get(`/api/orgs/${orgId}/flows/${s.setup.flowId}`));
    expect(flow.concurrency).toEqual({ limit: 3, behavior: "CANCEL" });

    // The raised limit lets the queued execution start at the worker's next claim.
    expect(await s.worker.claim(1)).toEqual([s.queued[0]]);
    await expect(page.getByTestId("slots-text")).toHaveText("3 / 3");
    await page.reload();
    await expect(page.getByLabel("Limit", { exact: true })).toHaveValue("3");
    await expect(page.getByLabel("At the limit, a new run")).toHaveValue("CANCEL");
    await checkScreen(page, "flow-settings");
    await s.done();
  });
});

test.describe("org member", () => {
  test.use({ storageState: storageFor("beta-member") });

  test("a member sees the flow's executions but no kill or edit controls, and the API refuses both", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 3, claimed: 2 });
    s.worker.keepAlive();
    await openFlow(page, s.setup.flowId);
    await expect(slots(page)).toHaveAttribute("aria-valuenow", "2");
    for (const id of s.ids) await expect(row(page, id)).toBeVisible();
    await expect(page.getByRole("button", { name: /kill/i })).toHaveCount(0);
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByLabel("Limit", { exact: true })).toHaveCount(0);

    const kill = await page.request.post(`/api/executions/${s.running[0]}/kill`);
    expect(kill.status()).toBe(403);
    const edit = await page.request.patch(`/api/orgs/${orgId}/flows/${s.setup.flowId}`, { data: { concurrency: { limit: 5, behavior: "QUEUE" } } });
    expect(edit.status()).toBe(403);
    await expect(row(page, s.running[0]!)).toContainText("RUNNING");
    await checkScreen(page, "flow-concurrency-member");
    await s.done();
  });
});
