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

/** A phone's viewport: the narrowest every screen must fit without scrolling sideways. */
export const PHONE = { width: 390, height: 844 } as const;

/**
 * What every screen test ends with: an automated accessibility check (axe, WCAG 2.1 A/AA)
 * that fails on serious or critical violations, at the test's size and at a phone's (390 px),
 * where the page must also not be wider than the screen (tables scroll inside themselves);
 * and screenshots of both in light and in dark mode under e2e/artifacts/ for a person to look at.
 */
export async function checkScreen(page: Page, name: string) {
  const size = page.viewportSize();
  for (const [suffix, viewport] of [["", size], ["-phone", PHONE]] as const) {
    if (viewport) await page.setViewportSize(viewport);
    if (suffix) {
      // Layout settles after the resize (charts measure their container again): poll.
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await expect.poll(overflow, { message: `${name} at ${PHONE.width} px is wider than the screen (by this many px)`, timeout: 5_000 }).toBeLessThanOrEqual(0);
    }
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id} (${colorScheme}${suffix}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
      await page.screenshot({ path: `e2e/artifacts/${name}${suffix}-${colorScheme}.png`, fullPage: true });
    }
  }
  if (size) await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: null });
}
