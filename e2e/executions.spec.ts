import { expect, test, type Page } from "@playwright/test";
import { flowScenario, killAll, ok, ORG, orgIdByName } from "./api";
import { checkScreen, storageFor } from "./helpers";

const short = (id: string) => id.slice(0, 8);
const rows = (page: Page) => page.getByTestId("execution-row");

// Each test sets up its own work through the API and the dev server compiles pages on first use.
test.describe.configure({ timeout: 120_000 });

let orgId: string;
test.beforeAll(async ({ playwright }) => {
  orgId = await orgIdByName(playwright, ORG);
});

async function openExecution(page: Page, id: string) {
  await page.goto(`/orgs/${orgId}/executions/${id}`, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toBeVisible({ timeout: 60_000 });
}

test.describe("org admin", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("filters executions by project, state, flow and queue, keeps them in the URL, and pages through", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 23, claimed: 2 });
    s.worker.keepAlive();
    await page.goto(`/orgs/${orgId}/executions`, { timeout: 60_000 });
    await expect(rows(page).first()).toBeVisible({ timeout: 60_000 });

    await page.getByLabel("Project").selectOption({ label: s.setup.projectName });
    await expect(page).toHaveURL(new RegExp(`projectId=${s.setup.projectId}`));
    await expect(rows(page)).toHaveCount(20);
    await expect(page.getByText("Page 1")).toBeVisible();
    // Newest first: the last one submitted heads the list.
    await expect(rows(page).first().getByRole("link")).toHaveText(short(s.ids.at(-1)!));

    await page.getByRole("button", { name: "Next", exact: true }).click();
    await expect(page.getByText("Page 2")).toBeVisible();
    await expect(rows(page)).toHaveCount(3);
    await expect(rows(page).last().getByRole("link")).toHaveText(short(s.ids[0]!));
    await expect(page.getByRole("button", { name: "Next", exact: true })).toBeDisabled();
    await page.reload();
    await expect(page.getByText("Page 2")).toBeVisible({ timeout: 30_000 });
    await expect(rows(page)).toHaveCount(3);
    await page.getByRole("button", { name: "Previous", exact: true }).click();
    await expect(page.getByText("Page 1")).toBeVisible();
    await expect(rows(page)).toHaveCount(20);

    await page.getByLabel("State").selectOption("RUNNING");
    await expect(page).toHaveURL(/state=RUNNING/);
    await expect(rows(page)).toHaveCount(2);
    for (const r of await rows(page).all()) await expect(r).toContainText("RUNNING");

    await page.getByLabel("State").selectOption("QUEUED");
    await page.getByLabel("Flow").selectOption({ label: s.setup.flowName });
    await page.getByLabel("Queue").selectOption(s.setup.queue);
    await expect(page).toHaveURL(new RegExp(`flowId=${s.setup.flowId}.*queue=${s.setup.queue}`));
    await expect(rows(page)).toHaveCount(20);
    await expect(rows(page).first()).toContainText(s.setup.flowName);
    await expect(rows(page).first()).toContainText(s.setup.queue);

    await page.getByLabel("State").selectOption("SUCCESS");
    await expect(page.getByText("No executions match these filters.")).toBeVisible();
    await page.getByLabel("State").selectOption("");
    await expect(rows(page)).toHaveCount(20);

    // A time range: submitted before a moment in the past leaves nothing of this flow; after it, all.
    await page.getByLabel("Submitted before").fill("2020-01-01T00:00");
    await expect(page).toHaveURL(/to=2020-01-0/);
    await expect(page.getByText("No executions match these filters.")).toBeVisible();
    await page.getByLabel("Submitted before").fill("");
    await page.getByLabel("Submitted from").fill("2020-01-01T00:00");
    await expect(rows(page)).toHaveCount(20);
    await checkScreen(page, "executions-list");

    // By id: a whole id opens that execution; anything else says what to paste.
    const jump = page.getByRole("search", { name: "Open an execution by id" });
    await jump.getByLabel("Execution id").fill("not-an-id");
    await jump.getByRole("button", { name: "Open execution" }).click();
    await expect(jump.getByRole("alert")).toContainText("Paste a whole execution id");
    await jump.getByLabel("Execution id").fill(s.ids[0]!);
    await jump.getByRole("button", { name: "Open execution" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/executions/${s.ids[0]}$`));
    await page.goBack();

    await rows(page).first().getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/executions/${s.ids.at(-1)}$`));
    await expect(page.getByRole("heading", { name: `Execution ${short(s.ids.at(-1)!)}` })).toBeVisible({ timeout: 60_000 });
    await s.done();
  });

  test("a queued execution says in plain words why it waits", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 3, claimed: 2 });
    s.worker.keepAlive();
    const waiting = s.queued[0]!;
    await openExecution(page, waiting);
    await expect(page.getByTestId("why-it-waits")).toContainText(`Waiting: flow '${s.setup.flowName}' is at its limit (2 of 2 running).`);
    await expect(page.getByTestId("why-it-waits")).not.toContainText("No live worker");
    await expect(page.getByTestId("timeline").getByRole("listitem")).toHaveCount(1);
    await checkScreen(page, "execution-detail-queued");

    // When a slot frees, the page follows by itself: it starts, and the explanation goes.
    await ok(s.api.post(`/api/executions/${s.running[0]}/kill`));
    expect(await s.worker.claim(1)).toEqual([waiting]);
    await expect(page.getByRole("heading", { name: `Execution ${short(waiting)}` })).toContainText("RUNNING");
    await expect(page.getByTestId("why-it-waits")).toHaveCount(0);
    await expect(page.getByTestId("timeline").getByRole("listitem")).toHaveCount(2);
    await s.done();
  });

  test("work in a queue no worker serves says so, and that it waits its turn in fair order", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: null, submitted: 2, claimed: 0 });
    await openExecution(page, s.ids[1]!);
    const why = page.getByTestId("why-it-waits");
    await expect(why).toContainText(/Waiting behind \d+ executions? of your organization in fair order\./);
    await expect(why).toContainText(`No live worker serves queue '${s.setup.queue}'.`);
    await s.done();
  });

  test("an admin kills an execution from its page, then deletes it, each after confirming", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 1, claimed: 1 });
    s.worker.keepAlive();
    const id = s.running[0]!;
    await openExecution(page, id);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("RUNNING");
    await expect(page.getByTestId("timeline").getByRole("listitem")).toHaveCount(2);

    await page.getByRole("button", { name: "Kill", exact: true }).click();
    const killDialog = page.getByRole("dialog", { name: `Kill execution ${short(id)}?` });
    await expect(killDialog).toBeVisible();
    await killDialog.getByRole("button", { name: "Kill execution" }).click();
    await expect(killDialog).toBeHidden();
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("KILLED");
    const timeline = page.getByTestId("timeline").getByRole("listitem");
    await expect(timeline).toHaveCount(3);
    await expect(timeline.nth(1)).toContainText(/worker \(worker-e2e-\w+\)/); // which worker started it
    await expect(timeline.last()).toContainText("KILLED");
    await expect(timeline.last()).toContainText("admin@beta.dev");
    await expect(timeline.last()).toContainText("killed by admin@beta.dev");
    await expect(page.getByRole("button", { name: "Kill", exact: true })).toHaveCount(0);
    await checkScreen(page, "execution-detail");

    await page.getByRole("button", { name: "Delete" }).click();
    const deleteDialog = page.getByRole("dialog", { name: `Delete execution ${short(id)}?` });
    await deleteDialog.getByRole("button", { name: "Delete execution" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/executions$`));
    expect((await s.api.get(`/api/executions/${id}`)).status()).toBe(404);
    await s.worker.stop();
    await s.api.dispose();
  });
});

test.describe("org admin, bulk", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("an admin kills everything a flow filter matches: the count first, then a confirmation, then the rows are KILLED", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 5, claimed: 2 });
    s.worker.keepAlive();
    const other = await flowScenario(playwright, orgId, { limit: 2, submitted: 1, claimed: 0 });
    await page.goto(`/orgs/${orgId}/executions?flowId=${s.setup.flowId}`, { timeout: 60_000 });
    await expect(rows(page)).toHaveCount(5, { timeout: 60_000 });

    await page.getByRole("button", { name: "Kill matching…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kill the matching executions?" });
    await expect(dialog).toContainText("5 live executions match");
    await expect(dialog).toContainText(`of flow ${s.setup.flowName}`);
    await checkScreen(page, "executions-bulk-kill");
    // Cancel changes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(rows(page).filter({ hasText: "KILLED" })).toHaveCount(0);

    await page.getByRole("button", { name: "Kill matching…" }).click();
    await dialog.getByRole("button", { name: "Kill 5" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Killed 5 executions." })).toBeVisible();
    await expect(rows(page).filter({ hasText: "KILLED" })).toHaveCount(5);
    // Another flow's execution was not in the filter.
    expect((await ok<{ state: string }>(s.api.get(`/api/executions/${other.ids[0]}`))).state).toBe("QUEUED");
    await other.done();
    await s.done();
  });
});

test.describe("org admin, break-glass", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("an admin runs a queued execution now past its flow's limit, with a reason; it is marked forced", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 1, submitted: 2, claimed: 1 });
    s.worker.keepAlive();
    const id = s.queued[0]!;
    await openExecution(page, id);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("QUEUED");
    await expect(page.getByTestId("why-it-waits")).toContainText("flow");
    await page.getByRole("button", { name: "Run now" }).click();
    const dialog = page.getByRole("dialog", { name: `Run execution ${short(id)} now?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Run now, ignoring caps" }).click();
    await expect(dialog.getByRole("alert")).toContainText("reason"); // a reason is required
    await dialog.getByLabel("Reason (required)").fill("incident 4711: the nightly export must run");
    await dialog.getByRole("button", { name: "Run now, ignoring caps" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("forced")).toContainText("incident 4711: the nightly export must run");
    await expect(page.getByTestId("forced-badge")).toBeVisible();
    await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
    // The next claim of a worker serving its queue starts it although the flow is full.
    expect(await s.worker.claim(5)).toEqual([id]);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("RUNNING");
    const shown = await ok<{ forced: { reason: string; by: string } }>(page.request.get(`/api/executions/${id}`));
    expect(shown.forced).toMatchObject({ reason: "incident 4711: the nightly export must run", by: "admin@beta.dev" });
    await page.goto(`/orgs/${orgId}/flows/${s.setup.flowId}`);
    await expect(page.getByTestId(`execution-row-${id}`).getByTestId("forced-badge")).toBeVisible({ timeout: 30_000 });
    await checkScreen(page, "flow-forced");
    await s.done();
  });
});

test.describe("org admin, paused slots", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("lowering max_paused_slots warns before saving what it does, and the paused executions hold their slots after", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 2, claimed: 2 });
    const settingsUrl = `/api/private/lifecycle_management/parallel_execution_settings?orgId=${orgId}`;
    const before = await ok<{ max_paused_slots: number }>(s.api.get(settingsUrl));
    await ok(s.api.put(settingsUrl, { data: { max_paused_slots: 5 } }));
    for (const id of s.running) await s.worker.pause(id);
    for (const id of s.running) expect(await ok<{ holdsSlot: boolean }>(s.api.get(`/api/executions/${id}`))).toMatchObject({ holdsSlot: false });
    const paused = (await ok<{ paused: { paused: number } }>(s.api.get(`/api/private/lifecycle_management/parallel_execution_settings:details?orgId=${orgId}`))).paused.paused;

    await page.goto(`/orgs/${orgId}/settings`, { timeout: 60_000 });
    const row = page.getByTestId("setting-max_paused_slots");
    await expect(row.getByLabel("Max paused slots")).toHaveValue("5", { timeout: 60_000 });
    await row.getByLabel("Max paused slots").fill("0");
    // Before saving: what it would do at once.
    await expect(row.getByTestId("paused-warning")).toContainText(`Lowering to 0 makes ${paused} paused executions hold slots again`);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(row.getByTestId("current-value")).toHaveText("0");
    for (const id of s.running) expect(await ok<{ holdsSlot: boolean }>(s.api.get(`/api/executions/${id}`))).toMatchObject({ holdsSlot: true });
    await checkScreen(page, "paused-slots-lowered");
    await ok(s.api.put(settingsUrl, { data: { max_paused_slots: before.max_paused_slots } }));
    await s.done();
  });
});

test.describe("org admin, pauses", () => {
  test.use({ storageState: storageFor("beta-admin") });

  test("an admin approves a paused execution on its page, and resumes a delayed one from the flow's tab; each continues in the slot it kept", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 1, submitted: 2, claimed: 1 });
    const settingsUrl = `/api/private/lifecycle_management/parallel_execution_settings?orgId=${orgId}`;
    const before = await ok<{ max_paused_slots: number }>(s.api.get(settingsUrl));
    await ok(s.api.put(settingsUrl, { data: { max_paused_slots: 0 } }));
    try {
      const id = s.running[0]!;
      await s.worker.pause(id, { approval: { timeoutMs: 3_600_000 } });
      await openExecution(page, id);
      const heading = page.getByRole("heading", { name: `Execution ${short(id)}` });
      await expect(heading).toContainText("PAUSED");
      await expect(page.getByText("Paused for", { exact: true })).toBeVisible();
      await expect(page.getByTestId("why-it-waits")).toContainText("Waiting for an org admin to approve it");
      await expect(page.getByTestId("why-it-waits")).toContainText("It keeps its slot meanwhile");
      await checkScreen(page, "execution-awaiting-approval");
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(heading).toContainText("QUEUED");
      await expect(page.getByTestId("why-it-waits")).toContainText("Resumed in the slot it kept");
      await expect(page.getByTestId("timeline").getByRole("listitem").last()).toContainText("approved by admin@beta.dev");
      expect(await ok<{ state: string; holdsSlot: boolean }>(s.api.get(`/api/executions/${id}`))).toMatchObject({ state: "QUEUED", holdsSlot: true });
      // The flow is full (limit 1) with it: the next claim continues it, not the other queued one.
      expect(await s.worker.claim(5)).toEqual([id]);
      await expect(heading).toContainText("RUNNING");

      // Paused again, as a delay of an hour: resumed early from the flow's concurrency tab.
      await s.worker.pause(id, { delayMs: 3_600_000 });
      await page.goto(`/orgs/${orgId}/flows/${s.setup.flowId}`);
      const row = page.getByTestId(`execution-row-${id}`);
      await expect(row).toContainText("PAUSED", { timeout: 30_000 });
      await expect(row).toContainText("until");
      await checkScreen(page, "flow-paused-row");
      await row.getByRole("button", { name: `Resume now execution ${short(id)}` }).click();
      await expect(row).toContainText("QUEUED");
      expect(await ok<{ state: string; holdsSlot: boolean }>(s.api.get(`/api/executions/${id}`))).toMatchObject({ state: "QUEUED", holdsSlot: true });
      expect(await s.worker.claim(5)).toEqual([id]);
    } finally {
      await ok(s.api.put(settingsUrl, { data: { max_paused_slots: before.max_paused_slots } }));
      await s.done();
    }
  });
});

test.describe("org member", () => {
  test.use({ storageState: storageFor("beta-member") });

  test("a member reads an execution but gets no kill or delete buttons, and the API refuses both", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 1, claimed: 0 });
    const id = s.ids[0]!;
    await openExecution(page, id);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("QUEUED");
    await expect(page.getByTestId("why-it-waits")).toBeVisible();
    await expect(page.getByRole("button", { name: "Kill", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    expect((await page.request.post(`/api/executions/${id}/kill`)).status()).toBe(403);
    expect((await page.request.delete(`/api/executions/${id}`)).status()).toBe(403);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("QUEUED");
    await checkScreen(page, "execution-detail-member");
    await s.done();
  });

  test("a member reruns every failed execution of a flow at once, and is offered no bulk kill", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 3, submitted: 3, claimed: 3 });
    for (const id of s.running) await s.worker.complete(id, "FAILED", "upstream said 503");
    await page.goto(`/orgs/${orgId}/executions?flowId=${s.setup.flowId}&state=FAILED`, { timeout: 60_000 });
    await expect(rows(page)).toHaveCount(3, { timeout: 60_000 });
    await expect(page.getByRole("button", { name: "Kill matching…" })).toHaveCount(0);
    await page.getByRole("button", { name: "Rerun matching…" }).click();
    const dialog = page.getByRole("dialog", { name: "Rerun the matching executions?" });
    await expect(dialog).toContainText("3 finished executions match");
    await expect(dialog).toContainText("in state FAILED");
    await dialog.getByRole("button", { name: "Rerun 3" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Rerun 3 executions." })).toBeVisible();
    await page.getByLabel("State").selectOption("QUEUED");
    await expect(rows(page)).toHaveCount(3);
    const page1 = await ok<{ items: { id: string; rerunOf: string | null }[] }>(page.request.get(`/api/executions?orgId=${orgId}&flowId=${s.setup.flowId}&state=QUEUED`));
    expect(page1.items.map((e) => e.rerunOf).sort()).toEqual([...s.ids].sort());
    await killAll(s.api, page1.items.map((e) => e.id));
    await s.done();
  });

  test("a member reruns a failed execution from its page and from the list: a new execution, linked to the failed one", async ({ page, playwright }) => {
    const s = await flowScenario(playwright, orgId, { limit: 2, submitted: 1, claimed: 1 });
    const id = s.running[0]!;
    await s.worker.complete(id, "FAILED", "upstream said 503");
    await openExecution(page, id);
    await expect(page.getByRole("heading", { name: `Execution ${short(id)}` })).toContainText("FAILED");
    await expect(page.getByText("Reason: upstream said 503")).toBeVisible();
    // Finished, it holds no lease: the worker that ran it is named, not "none".
    const ranOn = page.getByRole("term").filter({ hasText: /^Ran on$/ });
    await expect(ranOn).toBeVisible();
    await expect(page.locator("dt", { hasText: /^Ran on$/ }).locator("xpath=following-sibling::dd")).toHaveText(`worker-${s.setup.queue}`);
    await page.getByRole("button", { name: "Rerun" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/executions/${id}$`));
    const newId = page.url().split("/").at(-1)!;
    await expect(page.getByRole("heading", { name: `Execution ${short(newId)}` })).toContainText("QUEUED");
    await expect(page.getByRole("link", { name: short(id) })).toHaveAttribute("href", `/orgs/${orgId}/executions/${id}`);
    await expect(page.getByRole("button", { name: "Rerun" })).toHaveCount(0); // it is live
    const made = await ok<{ rerunOf: string; flowId: string; state: string }>(page.request.get(`/api/executions/${newId}`));
    expect(made).toMatchObject({ rerunOf: id, flowId: s.setup.flowId, state: "QUEUED" });
    await checkScreen(page, "execution-rerun");

    // From the list too: the failed execution's row has a Rerun; the live rerun's has none.
    await page.goto(`/orgs/${orgId}/executions?flowId=${s.setup.flowId}`);
    const failedRow = rows(page).filter({ has: page.getByRole("link", { name: short(id), exact: true }) });
    await expect(rows(page).filter({ has: page.getByRole("link", { name: short(newId), exact: true }) }).getByRole("button", { name: /Rerun/ })).toHaveCount(0);
    await failedRow.getByRole("button", { name: `Rerun execution ${short(id)}` }).click();
    await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
    const again = page.url().split("/").at(-1)!;
    expect(again).not.toBe(newId);
    expect(await ok<{ rerunOf: string }>(page.request.get(`/api/executions/${again}`))).toMatchObject({ rerunOf: id });
    await killAll(s.api, [newId, again]);
    await s.done();
  });
});
