import { expect, test, type Page } from "@playwright/test";
import { adminApi, demoOrgs } from "./api";
import { checkScreen, storageFor } from "./helpers";

const row = (page: Page) => page.getByTestId("org-row-Beta Inc");

/** Opens Beta's edit dialog, enters a weight and saves (the table shows it before the server answers). */
async function saveBetaWeight(page: Page, weight: string): Promise<void> {
  await row(page).getByRole("button", { name: "Edit Beta Inc" }).click({ timeout: 60_000 });
  const dialog = page.getByRole("dialog", { name: "Edit Beta Inc" });
  await dialog.getByLabel("Weight").fill(weight);
  await dialog.getByRole("button", { name: "Save" }).click();
}

test.describe("a platform admin edits an org", () => {
  test.use({ storageState: storageFor("platform-admin") });

  // Beta back as seeded, so the other specs see the demo data.
  test.afterEach(async ({ playwright }) => {
    const admin = await adminApi(playwright);
    const { "Beta Inc": beta } = await demoOrgs(admin);
    await admin.put(`/api/fair-scheduler/orgs/${beta.id}`, { data: { weight: 1, maxConcurrency: 0 } });
    await admin.dispose();
  });

  test("changes Beta's weight and cap in a dialog; the table shows it at once and the audit log records it", async ({ page }) => {
    await page.goto("/orgs");
    await expect(row(page).getByTestId("weight")).toHaveText("1", { timeout: 60_000 });
    const edit = row(page).getByRole("button", { name: "Edit Beta Inc" });
    await edit.click();

    const dialog = page.getByRole("dialog", { name: "Edit Beta Inc" });
    await expect(dialog).toBeVisible();
    const weight = dialog.getByLabel("Weight");
    await expect(weight).toBeFocused();
    await expect(weight).toHaveValue("1");
    await expect(dialog.getByLabel("Max concurrency")).toHaveAccessibleDescription("Most executions this organization may run at once; 0 means no limit.");
    await weight.fill("3");
    await dialog.getByLabel("Max concurrency").fill("8");
    await checkScreen(page, "org-edit-dialog");
    await dialog.getByRole("button", { name: "Save" }).click();

    await expect(dialog).toBeHidden();
    await expect(edit).toBeFocused();
    await expect(row(page).getByTestId("weight")).toHaveText("3");
    await expect(row(page).getByTestId("max-concurrency")).toHaveText("8");
    await expect(row(page)).not.toContainText("Saving…"); // the server has it: a reload must not cut the PUT off
    await page.reload();
    await expect(row(page).getByTestId("weight")).toHaveText("3", { timeout: 60_000 });
    await expect(row(page).getByTestId("max-concurrency")).toHaveText("8");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(/\/audit$/, { timeout: 60_000 });
    const newest = page.getByTestId("audit-row").first();
    await expect(newest).toContainText("Beta Inc", { timeout: 60_000 });
    await expect(newest).toContainText("Organization concurrency updated");
    await expect(newest).toContainText("admin@slotwise.dev");
    await expect(newest.getByRole("listitem").filter({ hasText: "weight" })).toHaveText(/weight\s+1\s+→\s+changed to\s+3/);
    await expect(newest.getByRole("listitem").filter({ hasText: "maxConcurrency" })).toHaveText(/maxConcurrency\s+0\s+→\s+changed to\s+8/);
  });

  test("invalid values get a message next to the field and nothing is sent", async ({ page }) => {
    const puts: string[] = [];
    page.on("request", (r) => r.method() === "PUT" && puts.push(r.url()));
    await page.goto("/orgs");
    const edit = row(page).getByRole("button", { name: "Edit Beta Inc" });
    await edit.click({ timeout: 60_000 });
    const dialog = page.getByRole("dialog", { name: "Edit Beta Inc" });
    const weight = dialog.getByLabel("Weight");
    const cap = dialog.getByLabel("Max concurrency");

    await weight.fill("0");
    await cap.fill("-1");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText("Weight must be a whole number of at least 1.")).toBeVisible();
    await expect(dialog.getByText("Max concurrency must be a whole number, 0 or more (0 = no limit).")).toBeVisible();
    await expect(weight).toHaveAttribute("aria-invalid", "true");
    await expect(weight).toHaveAccessibleDescription(/Weight must be a whole number of at least 1\./);
    await expect(weight).toBeFocused();

    await weight.fill("2.5");
    await cap.fill("4");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText("Weight must be a whole number of at least 1.")).toBeVisible();
    await expect(dialog.getByText("Max concurrency must be a whole number", { exact: false })).toHaveCount(0);
    await expect(cap).not.toHaveAttribute("aria-invalid");
    await checkScreen(page, "org-edit-invalid");

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(edit).toBeFocused();
    await expect(row(page).getByTestId("weight")).toHaveText("1");
    expect(puts).toEqual([]);
  });

  test("a live refresh while the save is in flight keeps showing the new values", async ({ page, playwright }) => {
    // Hold the PUT; meanwhile another change (Gamma's cap, through the API) makes every screen
    // refetch the org list, which still has Beta's old values.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/fair-scheduler/orgs/*", async (route) => {
      if (route.request().method() !== "PUT") return route.fallback();
      await released;
      await route.continue();
    });
    const admin = await adminApi(playwright);
    const { "Gamma LLC": gamma } = await demoOrgs(admin);
    try {
      await page.goto("/orgs");
      await saveBetaWeight(page, "4");
      await expect(row(page).getByTestId("weight")).toHaveText("4");

      expect((await admin.put(`/api/fair-scheduler/orgs/${gamma.id}`, { data: { maxConcurrency: 9 } })).status()).toBe(200);
      const gammaCap = page.getByTestId("org-row-Gamma LLC").getByTestId("max-concurrency");
      await expect(gammaCap).toHaveText("9"); // the refetched list is on screen …
      expect(await row(page).getByTestId("weight").textContent()).toBe("4"); // … and Beta's pending edit still shows
      release();
      await expect(row(page)).not.toContainText("Saving…");
      await expect(row(page).getByTestId("weight")).toHaveText("4");
    } finally {
      await admin.put(`/api/fair-scheduler/orgs/${gamma.id}`, { data: { maxConcurrency: 0 } });
      await admin.dispose();
    }
  });

  test("when the server refuses, the table rolls back and the server's message shows", async ({ page }) => {
    // Hold the PUT until the optimistic value has been seen, then refuse it as the API would.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/fair-scheduler/orgs/*", async (route) => {
      if (route.request().method() !== "PUT") return route.fallback();
      await released;
      await route.fulfill({
        status: 422,
        contentType: "application/problem+json",
        body: JSON.stringify({
          type: "https://slotwise.dev/problems/validation_failed", title: "Unprocessable Content", status: 422, code: "validation_failed",
          detail: "weight: refused by policy", errors: [{ field: "weight", message: "refused by policy" }], requestId: "e2e-rollback",
        }),
      });
    });
    await page.goto("/orgs");
    await saveBetaWeight(page, "7");

    await expect(row(page).getByTestId("weight")).toHaveText("7");
    await expect(row(page)).toContainText("Saving…");
    release();
    await expect(row(page).getByTestId("weight")).toHaveText("1");
    const alert = page.getByRole("alert").filter({ hasText: "Could not save Beta Inc" });
    await expect(alert).toContainText("the previous values are back");
    await expect(alert.getByRole("listitem")).toHaveText("weight: refused by policy");
    await checkScreen(page, "org-edit-rollback");
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await expect(alert).toBeHidden();
  });
});

test.describe("tenants cannot edit orgs", () => {
  test("an org admin sees no edit controls, and the API refuses the change (403)", async ({ browser, playwright }) => {
    const context = await browser.newContext({ storageState: storageFor("beta-admin") });
    const page = await context.newPage();
    await page.goto("/orgs");
    await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);
    await expect(page.getByRole("heading", { name: "Beta Inc", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Concurrency", exact: true })).toBeVisible();
    await expect(page.getByRole("article").getByText(/No concurrency data available|Weight/).first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("button", { name: /Edit/ })).toHaveCount(0);
    await expect(page.getByRole("dialog")).toHaveCount(0);

    const betaId = new URL(page.url()).pathname.split("/").at(-1)!;
    const refused = await page.request.put(`/api/fair-scheduler/orgs/${betaId}`, { data: { weight: 9 } });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).toContain("application/problem+json");
    await context.close();

    // A member, for their own org and for another: the same refusal.
    const admin = await adminApi(playwright);
    const orgs = await demoOrgs(admin);
    const member = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageFor("acme-member") });
    for (const id of [orgs["Acme Corp"].id, betaId]) expect((await member.put(`/api/fair-scheduler/orgs/${id}`, { data: { weight: 9 } })).status()).toBe(403);
    await member.dispose();

    for (const id of [orgs["Acme Corp"].id, betaId]) expect((await (await admin.get(`/api/fair-scheduler/orgs/${id}`)).json()).weight).toBe(1);
    await admin.dispose();
  });
});
