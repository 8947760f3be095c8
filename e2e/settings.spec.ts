import { expect, test, type Page, type PlaywrightWorkerArgs } from "@playwright/test";
import { checkScreen, signIn, storageFor } from "./helpers";

// The two settings screens of an org: Projects (Max Concurrent Jobs, pool and its shared
// usage) and Parallel settings (env_value / settings_value / current_value). Admins edit —
// optimistic, rolled back with the server's message when it refuses; members read.

const NAVIGATION = { timeout: 60_000 }; // the dev server compiles a route on its first visit
// Several first visits per test on a dev server that compiles each route on demand.
test.describe.configure({ timeout: 180_000 });

async function orgIdOf(playwright: PlaywrightWorkerArgs["playwright"], name: string): Promise<string> {
  const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageFor("platform-admin") });
  const orgs: { organizationId: string; name: string }[] = await (await admin.get("/api/fair-scheduler/orgs")).json();
  await admin.dispose();
  return orgs.find((o) => o.name === name)!.organizationId;
}

/** Holds writes (not reads) to matching paths until `release()`, so the optimistic state can be seen. */
async function holdWrites(page: Page, path: (pathname: string) => boolean) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const matches = (url: URL) => path(url.pathname);
  await page.route(matches, async (route) => {
    if (route.request().method() !== "GET") await gate;
    await route.continue();
  });
  return { release, stop: () => page.unroute(matches) };
}

test.describe("project settings", () => {
  test("an org admin sets Max Concurrent Jobs, clears it back to the platform default and moves a project out of its pool", async ({ page, playwright }) => {
    const gamma = await orgIdOf(playwright, "Gamma LLC");
    await signIn(page, "admin@gamma.dev");
    await page.goto(`/orgs/${gamma}/settings`);
    await page.getByRole("link", { name: "Projects" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${gamma}/projects$`), NAVIGATION);
    const web = page.getByTestId("project-web");
    const data = page.getByTestId("project-data");
    await expect(web.getByTestId("max-concurrent-jobs")).toHaveText("Platform default (5)", NAVIGATION);
    await expect(web.getByTestId("in-flight")).toHaveText("0 of 5");
    await expect(web.getByTestId("pool")).toContainText("shared: 0 of 4 in flight");
    await expect(web.getByTestId("pool")).toContainText("Shared with data");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3");

    // Set an override: it shows at once and is what the server now has.
    const limit = web.getByLabel("Max Concurrent Jobs");
    await expect(limit).toHaveAttribute("placeholder", "Platform default (5)");
    await limit.fill("7");
    await web.getByRole("button", { name: "Save web" }).click();
    await expect(web.getByRole("status")).toHaveText("Saved.");
    await expect(web.getByTestId("max-concurrent-jobs")).toHaveText("7");
    await page.reload();
    await expect(web.getByTestId("max-concurrent-jobs")).toHaveText("7", NAVIGATION);
    await expect(web.getByTestId("in-flight")).toHaveText("0 of 7");
    await expect(web.getByLabel("Max Concurrent Jobs")).toHaveValue("7");

    // Empty clears the override.
    await web.getByLabel("Max Concurrent Jobs").fill("");
    await web.getByRole("button", { name: "Save web" }).click();
    await expect(web.getByTestId("max-concurrent-jobs")).toHaveText("Platform default (5)");
    await expect(web.getByRole("status")).toHaveText("Saved.");

    // Out of the shared pool: the other project is then alone in it.
    await web.getByLabel("Pool").selectOption({ label: "No pool" });
    await web.getByRole("button", { name: "Save web" }).click();
    await expect(web.getByTestId("pool")).toHaveText("No pool");
    await expect(data.getByTestId("pool")).toContainText("Only this project");
    await page.reload();
    await expect(web.getByTestId("pool")).toHaveText("No pool", NAVIGATION);
    await expect(web.getByLabel("Pool")).toHaveValue("");
    await expect(web.getByTestId("max-concurrent-jobs")).toHaveText("Platform default (5)");

    // And back in, chosen by name.
    await web.getByLabel("Pool").selectOption({ label: "shared (limit 4)" });
    await web.getByRole("button", { name: "Save web" }).click();
    await expect(web.getByRole("status")).toHaveText("Saved.");
    await expect(data.getByTestId("pool")).toContainText("Shared with web");
    await expect(web.getByTestId("pool")).toContainText("Shared with data");
    await checkScreen(page, "project-settings");
  });

  test("invalid input is explained and sent nowhere; a refused save is rolled back with the server's message", async ({ page, playwright }) => {
    const gamma = await orgIdOf(playwright, "Gamma LLC");
    await signIn(page, "admin@gamma.dev");
    await page.goto(`/orgs/${gamma}/projects`);
    const data = page.getByTestId("project-data");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3", NAVIGATION);

    // Letters are refused, not read as an empty field (which a number input did: "abc" cleared
    // the limit and said "Saved.").
    await data.getByLabel("Max Concurrent Jobs").fill("abc");
    await data.getByRole("button", { name: "Save data" }).click();
    await expect(data.getByRole("alert")).toHaveText("Enter a whole number of 0 or more, or leave it empty for the platform default.");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3");

    await data.getByLabel("Max Concurrent Jobs").fill("-1");
    await data.getByRole("button", { name: "Save data" }).click();
    await expect(data.getByRole("alert")).toHaveText("Enter a whole number of 0 or more, or leave it empty for the platform default.");
    await expect(data.getByLabel("Max Concurrent Jobs")).toHaveAttribute("aria-invalid", "true");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3");

    // Above the server's maximum: shown at once, then taken back when the server refuses.
    const held = await holdWrites(page, (p) => p.startsWith(`/api/orgs/${gamma}/projects/`));
    await data.getByLabel("Max Concurrent Jobs").fill("2000000");
    await data.getByRole("button", { name: "Save data" }).click();
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("2000000");
    held.release();
    await expect(data.getByRole("alert")).toContainText("Not saved: maxConcurrentJobs:");
    await expect(data.getByRole("alert")).toContainText("1000000");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3");
    await expect(data.getByLabel("Max Concurrent Jobs")).toHaveValue("3");
    await held.stop();
    await checkScreen(page, "project-settings-refused");
  });

  test("a member reads the projects but has nothing to edit", async ({ page, playwright }) => {
    const gamma = await orgIdOf(playwright, "Gamma LLC");
    await signIn(page, "member@gamma.dev");
    await page.goto(`/orgs/${gamma}/projects`);
    const data = page.getByTestId("project-data");
    await expect(data.getByTestId("max-concurrent-jobs")).toHaveText("3", NAVIGATION);
    await expect(page.getByText("Only organization admins can change these settings.")).toBeVisible();
    await expect(page.locator("input[inputmode=numeric], input[inputmode=decimal]")).toHaveCount(0); // no limit field to edit
    await expect(page.getByRole("combobox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Save/ })).toHaveCount(0);
    // The API agrees: a member's edit is refused.
    const refused = await page.request.patch(`/api/orgs/${gamma}/projects/${await projectIdOf(page, gamma, "data")}`, { data: { maxConcurrentJobs: 1 } });
    expect(refused.status()).toBe(403);
    await checkScreen(page, "project-settings-member");
  });
});

async function projectIdOf(page: Page, orgId: string, name: string): Promise<string> {
  const projects: { id: string; name: string }[] = await (await page.request.get(`/api/orgs/${orgId}/projects`)).json();
  return projects.find((p) => p.name === name)!.id;
}

test.describe("parallel execution settings", () => {
  test("an org admin edits settings_value; where the environment's limit is lower it is in effect, with a warning", async ({ page, playwright }) => {
    const acme = await orgIdOf(playwright, "Acme Corp");
    await signIn(page, "admin@acme.dev");
    await page.goto(`/orgs/${acme}/projects`);
    await page.getByRole("link", { name: "Parallel settings" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${acme}/settings$`), NAVIGATION);
    const jobs = page.getByTestId("setting-jobs");
    await expect(jobs.getByTestId("env-value")).toHaveText("100", NAVIGATION);
    await expect(jobs.getByLabel("Jobs")).toHaveValue("10");
    await expect(jobs.getByTestId("current-value")).toHaveText("10");
    await expect(page.getByTestId("env-warning")).toHaveCount(0);

    await jobs.getByLabel("Jobs").fill("12");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("region", { name: "Parallel execution settings" }).getByRole("status")).toHaveText("Saved.");
    await expect(jobs.getByTestId("current-value")).toHaveText("12");
    await page.reload();
    await expect(jobs.getByLabel("Jobs")).toHaveValue("12", NAVIGATION);
    await expect(jobs.getByTestId("current-value")).toHaveText("12");

    // Above the environment's ceiling (SLOTWISE_ENV_MAX_JOBS, 100): the ceiling is in effect.
    await jobs.getByLabel("Jobs").fill("150");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(jobs.getByTestId("current-value")).toHaveText("100");
    await expect(jobs.getByTestId("env-warning")).toHaveText("⚠ Limited by the environment: 100 is in effect, not the configured 150.");
    await expect(page.getByRole("region", { name: "Parallel execution settings" }).getByRole("status")).toHaveText("Saved.");
    await page.reload();
    await expect(jobs.getByTestId("env-warning")).toBeVisible(NAVIGATION);
    await expect(jobs.getByLabel("Jobs")).toHaveValue("150");
    await checkScreen(page, "parallel-settings");
  });

  test("invalid input is explained and sent nowhere; a refused save is rolled back with the server's message", async ({ page, playwright }) => {
    const acme = await orgIdOf(playwright, "Acme Corp");
    await signIn(page, "admin@acme.dev");
    await page.goto(`/orgs/${acme}/settings`);
    const workflows = page.getByTestId("setting-workflows");
    const access = page.getByTestId("setting-access_requests");
    await expect(workflows.getByLabel("Workflows per job")).toHaveValue("4", NAVIGATION);

    await workflows.getByLabel("Workflows per job").fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(workflows.getByRole("alert")).toHaveText("Enter a whole number of 1 or more.");
    await expect(workflows.getByTestId("current-value")).toHaveText("4");

    // Above the server's maximum: shown at once, then taken back when the server refuses.
    await workflows.getByLabel("Workflows per job").fill("4");
    const held = await holdWrites(page, (p) => p.endsWith("/parallel_execution_settings"));
    await access.getByLabel("Access requests").fill("2000000");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(access.getByTestId("current-value")).toHaveText("100");
    await expect(access.getByTestId("env-warning")).toBeVisible();
    held.release();
    await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText("access_requests:");
    await expect(access.getByRole("alert")).toContainText("1000000");
    await expect(access.getByTestId("current-value")).toHaveText("2");
    await expect(access.getByLabel("Access requests")).toHaveValue("2");
    await expect(access.getByTestId("env-warning")).toHaveCount(0);
    await held.stop();
    await checkScreen(page, "parallel-settings-refused");
  });

  test.describe("as a member", () => {
    test.use({ storageState: storageFor("acme-member") });

    test("reads every value and the environment warning but has nothing to edit", async ({ page, playwright }) => {
      const acme = await orgIdOf(playwright, "Acme Corp");
      // Configured above the environment's ceiling by an admin (here through the API).
      const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageFor("platform-admin") });
      expect((await admin.put(`/api/private/lifecycle_management/parallel_execution_settings?orgId=${acme}`, { data: { max_paused_slots: 1500 } })).status()).toBe(200);
      await admin.dispose();

      await page.goto(`/orgs/${acme}/settings`);
      const paused = page.getByTestId("setting-max_paused_slots");
      await expect(paused.getByTestId("settings-value")).toHaveText("1500", NAVIGATION);
      await expect(paused.getByTestId("env-value")).toHaveText("1000");
      await expect(paused.getByTestId("current-value")).toHaveText("1000");
      await expect(paused.getByTestId("env-warning")).toHaveText("⚠ Limited by the environment: 1000 is in effect, not the configured 1500.");
      await expect(page.getByText("Only organization admins can change the configured values.")).toBeVisible();
      await expect(page.locator("input[inputmode=numeric], input[inputmode=decimal]")).toHaveCount(0); // no limit field to edit
      await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
      const refused = await page.request.put(`/api/private/lifecycle_management/parallel_execution_settings?orgId=${acme}`, { data: { jobs: 1 } });
      expect(refused.status()).toBe(403);
      await checkScreen(page, "parallel-settings-member");
    });
  });
});
