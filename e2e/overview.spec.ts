import { expect, test, type Locator, type Page } from "@playwright/test";
import { checkScreen, storageFor } from "./helpers";
import { runExecutions, type HeldExecutions } from "./worker";

let held: HeldExecutions | undefined;
test.afterEach(async () => {
  await held?.finish();
  held = undefined;
});

/** A value on the concurrency card: the <dd> under its <dt> label. */
const stat = (page: Page, label: string) => page.getByRole("article").locator("div").filter({ has: page.getByRole("term").filter({ hasText: label }) }).getByRole("definition").first();
/** The number a chart legend shows next to a series. */
const legendValue = async (legend: Locator, name: string) => Number(await legend.getByRole("listitem").filter({ hasText: name }).locator("span").last().textContent());

test.describe("platform overview", () => {
  test.use({ storageState: storageFor("platform-admin") });

  test("shows platform in-flight against global capacity, every org live, and in-flight per org over time", async ({ page }) => {
    // React reports rendering mistakes (e.g. duplicate keys in the chart) only on the console.
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await page.goto("/orgs");
    await expect(page.getByRole("heading", { name: "Platform overview" })).toBeVisible();
    // The tab's icon (a missing one was a 404 on every first visit).
    const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect((await page.request.get(icon!)).status()).toBe(200);
    const bar = page.getByRole("progressbar", { name: "Platform in-flight of global capacity" });
    await expect(bar).toHaveAttribute("aria-valuemax", "20", { timeout: 60_000 });
    const platformBefore = Number(await bar.getAttribute("aria-valuenow"));
    const gamma = page.getByTestId("org-row-Gamma LLC");
    const gammaBefore = Number(await gamma.getByRole("cell").nth(1).textContent());

    held = await runExecutions("Gamma LLC", 3);

    // Live: no reload.
    await expect(bar).toHaveAttribute("aria-valuenow", String(platformBefore + 3));
    await expect(page.getByTestId("platform-in-flight")).toContainText(`${platformBefore + 3} of 20 slots in flight`);
    await expect(gamma.getByRole("cell").nth(1)).toHaveText(String(gammaBefore + 3));
    await expect(gamma.getByRole("cell").nth(4)).toHaveText(((gammaBefore + 3) / 5).toFixed(2));

    // The sampler runs every 5 s; the chart picks its samples up by itself.
    const legend = page.getByRole("list", { name: "Latest in-flight per organization" });
    await expect(legend.getByRole("listitem").filter({ hasText: "Gamma LLC" })).toBeVisible({ timeout: 30_000 });
    // An area needs two points (30-s buckets): on a fresh database, up to half a minute.
    await expect(page.getByTestId("platform-chart").locator(".recharts-area").first()).toBeVisible({ timeout: 45_000 });
    const fifteen = page.getByRole("group", { name: "Time window of the in-flight chart" }).getByRole("button", { name: "15 min" });
    await fifteen.click();
    await expect(fifteen).toHaveAttribute("aria-pressed", "true");
    await expect.poll(() => legendValue(legend, "Gamma LLC"), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    await checkScreen(page, "platform-overview");
  });

  test("sorts the org table by every column, searches by name, and each name opens its org", async ({ page }) => {
    await page.goto("/orgs");
    const table = page.getByRole("table", { name: /^Organizations and their concurrency/ });
    const names = () => table.locator("tbody tr td:first-child a").allTextContents();
    const header = (name: string) => page.getByRole("columnheader", { name, exact: true });

    await expect(header("Organization")).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(names).toEqual(["Acme Corp", "Beta Inc", "Gamma LLC"]);
    await header("Organization").getByRole("button").click();
    await expect(header("Organization")).toHaveAttribute("aria-sort", "descending");
    await expect.poll(names).toEqual(["Gamma LLC", "Beta Inc", "Acme Corp"]);

    await header("Weight").getByRole("button").click();
    await expect(header("Weight")).toHaveAttribute("aria-sort", "descending");
    await expect(header("Organization")).not.toHaveAttribute("aria-sort");
    await expect.poll(async () => (await names())[0]).toBe("Gamma LLC");
    await header("Weight").getByRole("button").click();
    await expect(header("Weight")).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(async () => (await names()).at(-1)).toBe("Gamma LLC");

    for (const [column, first] of [["In flight", "descending"], ["Queued", "descending"], ["Load ratio", "descending"], ["Next slot", "ascending"], ["Max concurrency", "descending"]] as const) {
      await header(column).getByRole("button").click();
      await expect(header(column)).toHaveAttribute("aria-sort", first);
      await expect.poll(async () => (await names()).sort()).toEqual(["Acme Corp", "Beta Inc", "Gamma LLC"]);
    }

    const search = page.getByLabel("Search by name");
    await search.fill("bet");
    await expect.poll(names).toEqual(["Beta Inc"]);
    await expect(page.getByText("1 organization · page 1 of 1")).toBeVisible();
    await search.fill("zzz");
    await expect(page.getByText("No organization matches “zzz”.")).toBeVisible();
    await search.fill("");
    await expect.poll(names).toHaveLength(3);

    await table.getByRole("link", { name: "Beta Inc" }).click();
    await expect(page).toHaveURL(/\/orgs\/[\w-]+$/, { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: "Beta Inc", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Concurrency", exact: true })).toBeVisible();
  });

  test("pages through 1 000 orgs 50 at a time (the org list is stubbed with 1 000 orgs)", async ({ page }) => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      organizationId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `Org ${String(i).padStart(4, "0")}`,
      currentInFlight: i % 7,
      queued: i % 11,
      maxConcurrency: i % 3 === 0 ? 0 : 10 + (i % 20),
      weight: 1 + (i % 5),
      ratio: (i % 7) / (1 + (i % 5)),
      rank: i < 10 ? i + 1 : null,
      hasData: true,
    }));
    await page.route("**/api/fair-scheduler/orgs", (route) => route.fulfill({ json: many }));
    await page.goto("/orgs");
    const rows = page.getByRole("table", { name: /^Organizations and their concurrency/ }).locator("tbody tr");
    const firstName = () => rows.first().getByRole("link").textContent();

    await expect(page.getByText("1000 organizations · page 1 of 20")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("progressbar", { name: "Platform in-flight of global capacity" })).toHaveAttribute("aria-valuenow", "20", { timeout: 60_000 });
    await expect(rows).toHaveCount(50);
    await expect(page.getByRole("button", { name: "Previous page" })).toBeDisabled();
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page.getByText("page 2 of 20")).toBeVisible();
    await expect.poll(firstName).toBe("Org 0050");
    await expect(rows).toHaveCount(50);

    await page.getByLabel("Search by name").fill("Org 099");
    await expect(page.getByText("10 organizations · page 1 of 1")).toBeVisible();
    await expect(rows).toHaveCount(10);
    await page.getByRole("columnheader", { name: "In flight" }).getByRole("button").click();
    await expect(rows.first().getByRole("cell").nth(1)).toHaveText("6");
    await expect(page.getByRole("button", { name: "Edit Org 0993" })).toBeVisible();
    await checkScreen(page, "platform-overview-1000-orgs");
  });
});

test.describe("org overview", () => {
  test.use({ storageState: storageFor("acme-member") });

  test("an org that has never run an execution shows the empty state, and its members see no admin screens", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page).toHaveURL(/\/orgs\/[\w-]+$/);
    await expect(page.getByRole("heading", { name: "Acme Corp", exact: true })).toBeVisible();
    // Generous: in a dev server the first request to an API route compiles it.
    await expect(page.getByRole("article").getByText("No concurrency data available", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("heading", { name: "In flight and queued over time" })).toBeVisible();
    const main = page.getByRole("navigation", { name: "Main" });
    await expect(main.getByRole("link", { name: "My organization" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Overview", exact: true })).toHaveAttribute("aria-current", "page");
    await checkScreen(page, "org-overview-empty");
  });
});

test.describe("org overview with work", () => {
  test.use({ storageState: storageFor("gamma-member") });

  test("the browser is told of a change in its org through the event stream", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    // A second stream, opened the way the dashboard opens its own, to see the events themselves.
    await page.evaluate(() => {
      const w = window as unknown as { heard: string[] };
      w.heard = [];
      const source = new EventSource("/api/events");
      for (const type of ["ready", "change"]) source.addEventListener(type, () => w.heard.push(type));
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { heard: string[] }).heard)).toContain("ready");
    await page.evaluate(() => void ((window as unknown as { heard: string[] }).heard = []));

    held = await runExecutions("Gamma LLC", 1);

    await expect.poll(() => page.evaluate(() => (window as unknown as { heard: string[] }).heard)).toContain("change");
  });

  test("comes back live by itself when the server refuses its event stream for a while", async ({ page }) => {
    // A browser gives up on an event stream answered with an error (the database was down, say).
    let refused = 0;
    await page.route("**/api/events", async (route) => {
      if (refused < 2) {
        refused++;
        await route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ status: 503 }) });
      } else {
        await route.fallback();
      }
    });
    await page.goto("/orgs");
    await expect(page.getByRole("heading", { name: "Gamma LLC", exact: true })).toBeVisible();
    await expect(page.getByText("Live", { exact: true })).toBeVisible({ timeout: 45_000 });
    expect(refused).toBe(2);
  });

  test("a tenant sees their org's concurrency change live, and its in-flight and queued over time", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page.getByRole("heading", { name: "Gamma LLC", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Concurrency", exact: true })).toBeVisible();

    held = await runExecutions("Gamma LLC", 3, 2);

    await expect(stat(page, "Current In-Flight")).toHaveText("3", { timeout: 60_000 });
    await expect(stat(page, "Load Ratio")).toHaveText("0.60");
    await expect(stat(page, "Weight")).toHaveText("5");
    await expect(stat(page, "Max Concurrency")).toHaveText("No limit");
    await expect(page.getByText("In-flight ÷ weight. Lower means you get the next slot sooner.")).toBeVisible();

    const legend = page.getByRole("list", { name: /^Average over the last \d+ s$/ });
    await expect.poll(() => legendValue(legend, "In flight"), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => legendValue(legend, "Queued"), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId("org-chart").locator(".recharts-area")).toHaveCount(2);
    await checkScreen(page, "org-overview");
  });
});
