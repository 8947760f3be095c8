import { expect, test } from "@playwright/test";
import { signIn, storageFor } from "./helpers";

test.describe("platform admin", () => {
  test.use({ storageState: storageFor("platform-admin") });

  test("sees the three seeded orgs with their weights", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page.getByRole("heading", { name: "Organizations" })).toBeVisible();
    for (const [name, weight] of [["Acme Corp", "1"], ["Beta Inc", "1"], ["Gamma LLC", "5"]] as const) {
      await expect(page.getByTestId(`org-row-${name}`).getByTestId("weight")).toHaveText(weight);
    }
  });
});

test.describe("tenant member", () => {
  test.use({ storageState: storageFor("acme-member") });

  test("sees only their own org", async ({ page }) => {
    await page.goto("/orgs");
    await expect(page.getByRole("heading", { name: "Acme Corp", exact: true })).toBeVisible();
    await expect(page.getByText("Concurrency · Acme Corp")).toBeVisible();
    await expect(page.getByText("No concurrency data available")).toBeVisible();
    await expect(page.getByText("Beta Inc")).toHaveCount(0);
    await expect(page.getByText("Gamma LLC")).toHaveCount(0);
  });

  test("cannot read another org through the API", async ({ page }) => {
    const res = await page.request.get("/api/fair-scheduler/orgs");
    expect(res.status()).toBe(403);
  });
});

test("a wrong password shows an error and stays on the login page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("member@acme.dev");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login$/);
});

test("signing out returns to the login page", async ({ page }) => {
  await signIn(page, "admin@beta.dev");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/orgs");
  await expect(page).toHaveURL(/\/login$/);
});
