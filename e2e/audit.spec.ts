import { expect, test } from "@playwright/test";
import { adminApi, demoOrgs, ok } from "./api";
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

  test("filters by who, what and object, kept in the URL; names each object as it was called then", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);
    acmeId = new URL(page.url()).pathname.split("/").at(-1)!;
    // A project and a flow renamed 25 times, then both deleted: 29 entries, more than a page.
    const tag = `audit-${Math.random().toString(36).slice(2, 8)}`;
    const orgApi = `/api/orgs/${acmeId}`;
    const project = await ok<{ id: string }>(page.request.post(`${orgApi}/projects`, { data: { name: `${tag}-project` } }), 201);
    const flow = await ok<{ id: string }>(page.request.post(`${orgApi}/flows`, { data: { name: tag, projectId: project.id } }), 201);
    for (let n = 1; n <= 25; n++) await ok(page.request.patch(`${orgApi}/flows/${flow.id}`, { data: { name: `${tag}-${n}` } }));
    await ok(page.request.delete(`${orgApi}/flows/${flow.id}`));
    await ok(page.request.delete(`${orgApi}/projects/${project.id}`));

    await page.goto(`/orgs/${acmeId}/audit`);
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(25, { timeout: 60_000 });
    const filters = page.getByRole("search", { name: "Filter the audit log" });
    const who = filters.getByLabel("Who", { exact: true });
    const what = filters.getByLabel("What", { exact: true });
    const type = filters.getByLabel("Object type");
    const name = filters.getByLabel("Object name");

    await name.fill(tag);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}(&|$)`));
    await expect(rows.first()).toContainText("Project deleted");
    await expect(rows.first().getByTestId("audit-object")).toHaveText(`project ${tag}-project: show only its history`);
    await expect(rows.nth(1).getByTestId("audit-object")).toHaveText(`flow ${tag}-25: show only its history`);
    await page.getByRole("button", { name: "Older" }).click();
    await expect(page.getByText("Page 2")).toBeVisible();
    await expect(rows).toHaveCount(4);
    // Created under its first name, and still called so after 25 renames and a delete.
    await expect(rows.nth(2)).toContainText("Flow created");
    await expect(rows.nth(2).getByTestId("audit-object")).toHaveText(`flow ${tag}: show only its history`);
    await expect(rows.nth(3)).toContainText("Project created");

    // Another filter is another list: back to its first page.
    await what.selectOption({ label: "Flow updated" });
    await expect(page.getByText("Page 1")).toBeVisible();
    await expect(page).not.toHaveURL(/pages=/);
    await expect(page).toHaveURL(/action=flow\.update/);
    await expect(rows).toHaveCount(25);
    await expect(rows.first().getByRole("listitem").first()).toHaveText(new RegExp(`name\\s+${tag}-24\\s+→\\s+changed to\\s+${tag}-25`));

    await type.selectOption({ label: "Project" });
    await expect(rows).toHaveCount(0);
    await expect(page.getByText("No changes match these filters.")).toBeVisible();
    await what.selectOption({ label: "Any change" });
    await expect(rows).toHaveCount(2);
    await who.fill("nobody@acme.dev");
    await expect(rows).toHaveCount(0);
    await who.fill("admin@acme.dev");
    await expect(page).toHaveURL(/actor=admin%40acme\.dev/);
    await expect(rows).toHaveCount(2);

    // The URL is the view: a reload shows the same filters and entries.
    await page.reload();
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(name).toHaveValue(tag);
    await expect(type).toHaveValue("project");
    await expect(who).toHaveValue("admin@acme.dev");
    await checkScreen(page, "org-audit-filtered");

    await rows.first().getByTestId("audit-object").click();
    await expect(page).toHaveURL(new RegExp(`entityId=${project.id}`));
    await expect(filters.getByTestId("audit-object-filter")).toHaveText(`Only the history of project ${tag}-project. Show every object`);
    await expect(rows).toHaveCount(2);

    await filters.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/audit$`));
    await expect(rows).toHaveCount(25);
    await expect(name).toHaveValue("");
    await expect(who).toHaveValue("");
    await expect(type).toHaveValue("");
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
    await expect(rows.first().getByTestId("audit-object")).toHaveText("organization Gamma LLC: show only its history");
    await expect(rows.first().getByRole("listitem")).toHaveText(change("maxConcurrency", 50, 0));
    await expect(rows.nth(1).getByRole("listitem")).toHaveText(change("maxConcurrency", 0, 50));
    await expect(rows.nth(2)).toContainText("Platform settings updated");
    await expect(rows.nth(2).getByRole("cell").nth(2)).toHaveText("Platform");
    await expect(rows.nth(2).getByTestId("audit-object")).toHaveText("platform settings: show only its history");
    await expect(rows.nth(2).getByRole("listitem")).toHaveText(change("globalCapacity", 21, 20));
    await checkScreen(page, "platform-audit");
  });
});
