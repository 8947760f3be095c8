import { expect, test } from "@playwright/test";
import { checkScreen, storageFor } from "./helpers";

// Onboarding a tenant in the console (docs/operations.md): a platform admin creates an org,
// adds its first admin (a new account, its password shown once) and issues a worker token that
// works at once and not after it is revoked; the new admin signs in to it; the org is deleted.

test.describe("a platform admin onboards a tenant", () => {
  test.use({ storageState: storageFor("platform-admin") });

  test("creates Delta, adds its admin, issues and revokes a worker token, and deletes it again", async ({ page, browser, request }) => {
    await page.goto("/orgs");
    await page.getByRole("button", { name: "New organization" }).click({ timeout: 60_000 });
    const dialog = page.getByRole("dialog", { name: "New organization" });
    await dialog.getByLabel("Name", { exact: true }).fill("Delta Works");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(/\/orgs\/[\w-]+\/access$/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { level: 1, name: "Delta Works" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Rename the organization" }).getByLabel("Slug")).toHaveValue("delta-works");

    // Its first admin: a new account, with a password shown once.
    const add = page.getByRole("form", { name: "Add a member" });
    await add.getByLabel("Email").fill("first.admin@delta.dev");
    await add.getByLabel("Role").selectOption("ADMIN");
    await add.getByRole("button", { name: "Add" }).click();
    await expect(add.getByRole("status")).toContainText("first.admin@delta.dev is now an admin (new account).");
    const password = (await add.getByTestId("secret").textContent())!.trim();
    await expect(page.getByRole("list", { name: "Members" })).toContainText("first.admin@delta.dev");

    // A worker token: shown once, it registers a worker, and is refused once revoked.
    const issue = page.getByRole("form", { name: "Issue a token" }).first();
    await issue.getByLabel("Token name").fill("delta workers");
    await issue.getByRole("button", { name: "Issue token" }).click();
    const token = (await issue.getByTestId("secret").textContent())!.trim();
    const register = () => request.post("/api/workers/register", { headers: { authorization: `Bearer ${token}` }, data: { name: "delta-1", queues: [] } });
    expect((await register()).status()).toBe(201);
    await checkScreen(page, "org-access");
    await page.getByRole("button", { name: "Revoke delta workers" }).click();
    await page.getByRole("dialog", { name: "Revoke delta workers?" }).getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByRole("table", { name: "API tokens" })).toContainText("Revoked");
    await expect.poll(async () => (await register()).status(), { timeout: 15_000 }).toBe(401);

    // The new admin opens the link they were sent, signs in with the password handed over, and
    // lands on that page (it used to be the start page whatever was asked for).
    const flowsUrl = page.url().replace(/\/access$/, "/flows?x=1");
    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const theirPage = await theirs.newPage();
    await theirPage.goto(flowsUrl);
    await expect(theirPage).toHaveURL(/\/login\?next=/);
    await theirPage.getByLabel("Email").fill("first.admin@delta.dev");
    await theirPage.getByLabel("Password").fill(password);
    await theirPage.getByRole("button", { name: "Sign in" }).click();
    await expect(theirPage).toHaveURL(flowsUrl, { timeout: 30_000 });
    await expect(theirPage.getByRole("heading", { level: 1, name: "Delta Works" })).toBeVisible();
    await theirs.close();

    // Deleting asks for the slug, then the org is gone.
    await page.getByRole("button", { name: "Delete organization" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete Delta Works?" });
    await expect(confirm.getByRole("button", { name: "Delete" })).toBeDisabled();
    await confirm.getByLabel("Slug").fill("delta-works");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/orgs$/, { timeout: 30_000 });
    await expect(page.getByText("Delta Works")).toHaveCount(0);
  });
});
