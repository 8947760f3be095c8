import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const PASSWORD = "slotwise-demo";
export const storageFor = (who: string) => `e2e/.auth/${who}.json`;

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Platform admins land on /orgs; someone in exactly one org on /orgs/{orgId}.
  await expect(page).toHaveURL(/\/orgs(\/[\w-]+)?$/, { timeout: 30_000 });
}

/**
 * What every screen test ends with: an automated accessibility check (axe, WCAG 2.1 A/AA)
 * that fails on serious or critical violations, and a screenshot in light and in dark mode
 * under e2e/artifacts/ for a person to look at.
 */
export async function checkScreen(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id} (${colorScheme}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
    await page.screenshot({ path: `e2e/artifacts/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}
