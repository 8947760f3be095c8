import { test as setup } from "@playwright/test";
import { signIn, storageFor } from "./helpers";

// One signed-in browser state per role, reused by the specs.
for (const [who, email] of [
  ["platform-admin", "admin@slotwise.dev"],
  ["acme-member", "member@acme.dev"],
  ["acme-admin", "admin@acme.dev"],
  ["beta-admin", "admin@beta.dev"],
  ["beta-member", "member@beta.dev"],
  ["gamma-member", "member@gamma.dev"],
] as const) {
  setup(`sign in as ${who}`, async ({ page }) => {
    await signIn(page, email);
    await page.context().storageState({ path: storageFor(who) });
  });
}
