import { expect, test } from "@playwright/test";
import { adminApi, demoOrgs } from "./api";
import { checkScreen, storageFor } from "./helpers";

const settingsUrl = (orgId: string) => `/api/private/lifecycle_management/parallel_execution_settings?orgId=${orgId}`;
/** The "before → after" line of an audit row for one field, as a person reads it. */
const change = (field: string, before: number, after: number) => new RegExp(`${field}\\s+${before}\\s+→\\s+changed to\\s+${after}`);

test.describe("org admin", () => {
  test.use({ storageState: storageFor("acme-admin") });
  let acmeId: string;

  // Acme's settings back as seeded (jobs 10), so the other specs see the demo data.
  test.afterEach(async ({ page }) => {
    if (acmeId) await page.request.put(settingsUrl(acmeId), { data: { jobs: 10 } });
  });

  test("reads the org's audit log: who, when, what, before → after, newest first, a page at a time", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);
    acmeId = new URL(page.url()).pathname.split("/").at(-1)!;
    // 27 changes (jobs 10 → 11 → … → 37) through the API: more than one page of 25.
    for (let jobs = 11; jobs <= 37; jobs++) {
      expect((await page.request.put(settingsUrl(acmeId), { data: { jobs } })).status()).toBe(200);
    }

    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/audit$`), { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    for (const column of ["When", "Who", "What", "Before → after"]) await expect(page.getByRole("columnheader", { name: column })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Organization" })).toHaveCount(0);

    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(25, { timeout: 60_000 });
    await expect(rows.first()).toContainText("Parallel execution settings updated");
    await expect(rows.first()).toContainText("admin@acme.dev");
    await expect(rows.first().getByRole("listitem")).toHaveText(change("jobs", 36, 37));
    await expect(rows.nth(1).getByRole("listitem")).toHaveText(change("jobs", 35, 36));
    await expect(rows.first().locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
    await expect(page.getByRole("button", { name: "Newer" })).toBeDisabled();
    await checkScreen(page, "org-audit");

    await page.getByRole("button", { name: "Older" }).click();
    await expect(page.getByText("Page 2")).toBeVisible();
    await expect(rows.first().getByRole("listitem")).toHaveText(change("jobs", 11, 12));
    await expect(rows.nth(1).getByRole("listitem")).toHaveText(change("jobs", 10, 11));
    await page.getByRole("button", { name: "Newer" }).click();
    await expect(page.getByText("Page 1")).toBeVisible();
    await expect(rows.first().getByRole("listitem")).toHaveText(change("jobs", 36, 37));
  });
});

test.describe("org member", () => {
  test.use({ storageState: storageFor("acme-member") });

  test("sees no audit log anywhere, and the API refuses it (403, 404 for another org)", async ({ page, playwright }) => {
    const admin = await adminApi(playwright);
    const orgs = await demoOrgs(admin);
    await admin.dispose();
    const acme = orgs["Acme Corp"].id;

    await page.goto(`/orgs/${acme}`);
    await expect(page.getByRole("heading", { name: "Acme Corp", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);

    await page.goto(`/orgs/${acme}/audit`);
    await expect(page.getByRole("alert").filter({ hasText: "administrators" })).toHaveText("Only administrators of this organization can read its audit log.");
    await expect(page.getByTestId("audit-row")).toHaveCount(0);
    await checkScreen(page, "org-audit-member");

    expect((await page.request.get(`/api/audit?orgId=${acme}`)).status()).toBe(403);
    expect((await page.request.get("/api/audit")).status()).toBe(403);
    expect((await page.request.get(`/api/audit?orgId=${orgs["Beta Inc"].id}`)).status()).toBe(404);

    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("platform admin", () => {
  test.use({ storageState: storageFor("platform-admin") });

  test("reads the platform-wide audit log from the top navigation, with each change's organization", async ({ page }) => {
    const orgs = await demoOrgs(page.request);
    const gamma = orgs["Gamma LLC"].id;
    const put = async (url: string, data: object) => expect((await page.request.put(url, { data })).status()).toBe(200);
    await put("/api/platform/settings", { globalCapacity: 21 });
    await put("/api/platform/settings", { globalCapacity: 20 });
    await put(`/api/fair-scheduler/orgs/${gamma}`, { maxConcurrency: 50 });
    await put(`/api/fair-scheduler/orgs/${gamma}`, { maxConcurrency: 0 });

    await page.goto("/orgs");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(/\/audit$/, { timeout: 60_000 });
    await expect(nav.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Organization" })).toBeVisible();

    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toContainText("Gamma LLC", { timeout: 60_000 });
    await expect(rows.first()).toContainText("Organization concurrency updated");
    await expect(rows.first().getByRole("listitem")).toHaveText(change("maxConcurrency", 50, 0));
    await expect(rows.nth(1).getByRole("listitem")).toHaveText(change("maxConcurrency", 0, 50));
    await expect(rows.nth(2)).toContainText("Platform settings updated");
    await expect(rows.nth(2).getByRole("cell").nth(2)).toHaveText("Platform");
    await expect(rows.nth(2).getByRole("listitem")).toHaveText(change("globalCapacity", 21, 20));
    await checkScreen(page, "platform-audit");
  });
});
