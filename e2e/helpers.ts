import { expect, type Page } from "@playwright/test";

export const PASSWORD = "slotwise-demo";
export const storageFor = (who: string) => `e2e/.auth/${who}.json`;

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orgs$/, { timeout: 30_000 });
}
